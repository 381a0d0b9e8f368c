# syntax=docker/dockerfile:1
# DistGrad's own program (coordinator/, the `distgrad` tool) as one image for every node of a cluster:
#   docker build -t distgrad:0.1.0 .
#   docker run --rm distgrad:0.1.0 train                  # the default job on an embedded cluster
#   docker run --rm distgrad:0.1.0 worker --seed-nodes …  # a worker node (k8s/ runs it this way)
# The same image serves CPU and GPU nodes: the CUDA backend (ILGPU) needs only the driver's libcuda, which the
# NVIDIA container toolkit mounts into a container that is given a GPU.

# ---- build: the SDK restores and publishes; none of it reaches the final image ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The project files and the shared props first, so the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY core/DistGrad.Core.csproj core/
COPY actors/DistGrad.Distributed.csproj actors/
COPY coordinator/DistGrad.Coordinator.csproj coordinator/
RUN dotnet restore coordinator/DistGrad.Coordinator.csproj
COPY . .
# Framework-dependent (the runtime image has the shared framework); no apphost: the entry point is `dotnet coordinator.dll`.
RUN dotnet publish coordinator/DistGrad.Coordinator.csproj -c Release --no-restore -o /app -p:UseAppHost=false

# ---- run: the .NET runtime alone (no SDK, no ASP.NET: the program needs only Microsoft.NETCore.App) ----
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
# A fixed non-root UID, the one k8s/ names in runAsUser, so runAsNonRoot can be checked from the number alone.
# /runs (run directories, checkpoints) and /data (datasets) are the mount points for shared volumes; they are
# owned by that user so an unmounted `docker run` can still write a run.
RUN groupadd --system --gid 10001 distgrad \
    && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin distgrad \
    && mkdir -p /runs /data \
    && chown 10001:10001 /runs /data
WORKDIR /app
COPY --from=build /app .
# No GC variables: the one setting that matters (System.GC.LOHThreshold, see Directory.Build.props) is in
# coordinator.runtimeconfig.json already, and the GC sizes its heaps from the container's cgroup limits itself.
USER 10001:10001
VOLUME ["/runs", "/data"]
# Akka remoting, Akka.Management (Cluster Bootstrap, /alive, /ready), the workers' data plane (--data-port 7000-7007).
EXPOSE 4053 8558 7000-7007
# `worker` leaves the cluster gracefully on SIGTERM; `train` writes a checkpoint after the next step, then stops.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/coordinator.dll"]
CMD ["--help"]
