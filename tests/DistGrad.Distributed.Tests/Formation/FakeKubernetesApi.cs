using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Models;

namespace DistGrad.Distributed.Tests.Formation;

/// <summary>
/// The one Kubernetes API call that kubernetes-api discovery makes — list the pods of a namespace by label
/// selector — served over HTTPS on loopback with a self-signed certificate, answering with a <see cref="V1PodList"/>
/// in the API's JSON. Akka's discovery always dials https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT and
/// trusts what a kubeconfig (KUBECONFIG) names as certificate authority, so <see cref="Environment"/> points it here.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly string _podListJson;
    private readonly List<string> _requests = [];

    public FakeKubernetesApi(string directory, string podNamespace, V1PodList pods)
    {
        Namespace = podNamespace;
        _podListJson = KubernetesJson.Serialize(pods);
        _certificate = SelfSigned();
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;

        var pem = _certificate.ExportCertificatePem();
        TokenPath = Path.Combine(directory, "token");
        File.WriteAllText(TokenPath, "test-token");
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(KubeconfigPath, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: https://127.0.0.1:{Port}
                certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))}
            users:
            - name: pod
              user:
                token: test-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: pod
                namespace: {podNamespace}
            current-context: fake
            """);
        _serving = ServeAsync();
    }

    public int Port { get; }

    public string Namespace { get; }

    public string TokenPath { get; }

    public string KubeconfigPath { get; }

    /// <summary>The request lines served so far (method, path and query).</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The variables a pod's process would have: where the API server is, and (here) the kubeconfig that trusts it.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
        ["KUBERNETES_SERVICE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["KUBECONFIG"] = KubeconfigPath,
    };

    /// <summary>A running pod at <paramref name="ip"/> whose container names its management port as the DistGrad manifests do.</summary>
    public static V1Pod Pod(string name, string ip, int managementPort, IDictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "distgrad", Ports = [new V1ContainerPort { Name = "management", ContainerPort = managementPort }] }],
        },
        Status = new V1PodStatus { Phase = "Running", PodIP = ip },
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAny(_serving, Task.Delay(2000));
        _stop.Dispose();
        _certificate.Dispose();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fake-kubernetes-api", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Re-imported so the private key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(_certificate);
                using var reader = new StreamReader(tls, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync() ?? string.Empty;
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
                {
                    // Headers: the fake needs none of them.
                }

                lock (_requests)
                {
                    _requests.Add(requestLine);
                }

                var path = requestLine.Split(' ') is [_, var target, ..] ? target : string.Empty;
                var (status, body) = path.StartsWith($"/api/v1/namespaces/{Namespace}/pods", StringComparison.Ordinal)
                    ? ("200 OK", _podListJson)
                    : ("404 Not Found", """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(head));
                await tls.WriteAsync(bytes);
                await tls.FlushAsync();
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // A client that hung up: the next lookup asks again.
            }
        }
    }
}
