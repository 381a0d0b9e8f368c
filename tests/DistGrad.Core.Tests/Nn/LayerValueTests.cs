namespace DistGrad.Tests.Nn;

using DistGrad.Nn;

/// <summary>
/// Layers and losses against PyTorch 1.13. Inputs and parameters are the same deterministic values in
/// both languages: element i of a tensor with key k is 0.5·sin(0.7k + 0.37i) (see <see cref="Det"/>).
/// </summary>
public class LayerValueTests
{
    internal static Tensor Det(int[] shape, int k, bool requiresGrad = false)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        var values = Enumerable.Range(0, n).Select(i => (float)(Math.Sin((k * 0.7) + (i * 0.37)) * 0.5)).ToArray();
        return Tensor.From(values, shape, requiresGrad);
    }

    internal static void Close(float[] expected, Tensor actual, double tolerance = 2e-5)
    {
        var values = actual.ToArray<float>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {values[i]}");
        }
    }

    [Fact]
    public void LinearAndCrossEntropyMatchPyTorch()
    {
        var x = Det([3, 4], 1, requiresGrad: true);
        var w = Det([5, 4], 2, requiresGrad: true);
        var b = Det([5], 3, requiresGrad: true);
        var y = Functional.Linear(x, w, b);
        var target = Tensor.From(new long[] { 4, 0, 2 });
        var loss = Functional.CrossEntropy(y, target);
        loss.Backward();

        Assert.Equal(1.159566044807434, loss.Item(), 5);
        Close(new[] { 1.1574678421020508f, 0.032716184854507446f, -0.6278284788131714f, 0.1034378856420517f, 0.5890557765960693f, 0.7947681546211243f, 0.35149335861206055f, -0.20732077956199646f, -0.13908302783966064f, 0.12456849217414856f, -0.22840124368667603f, 0.596839427947998f, 0.8603404760360718f, -0.19081589579582214f, -0.9524741768836975f }, y);
        Close(new[] { -0.05691969767212868f, -0.07369045913219452f, -0.08048754185438156f, -0.07639103382825851f, -0.1025354266166687f, -0.10504139959812164f, -0.09333053231239319f, -0.06898780167102814f, 0.12984299659729004f, 0.1273224651813507f, 0.10756942629814148f, 0.07325737923383713f }, x.Grad!);
        Close(new[] { -0.05579397454857826f, -0.016952229663729668f, 0.024183910340070724f, 0.062046878039836884f, 0.02035665512084961f, 0.0022329427301883698f, -0.016192983835935593f, -0.03242726996541023f, 0.07573828101158142f, 0.1018315926194191f, 0.11414248496294022f, 0.11100471764802933f, 0.02295500412583351f, 0.01643288880586624f, 0.0076866596937179565f, -0.002099921926856041f, -0.06325595825910568f, -0.1035451889038086f, -0.1298200637102127f, -0.13852441310882568f }, w.Grad!);
        Close(new[] { -0.03760402649641037f, 0.21624141931533813f, -0.14077141880989075f, 0.13773053884506226f, -0.1755964756011963f }, b.Grad!);

        using (Autograd.NoGrad())
        {
            Assert.Equal(3.478698253631592, Functional.CrossEntropy(y, target, reduction: "sum").Item(), 5);
            Close(new[] { 1.4469739198684692f, 1.0694189071655273f, 0.9623053073883057f }, Functional.CrossEntropy(y, target, reduction: "none"));
            Assert.Equal(1.2046396732330322, Functional.CrossEntropy(y, Tensor.From(new long[] { 4, -100, 2 })).Item(), 5);
            Assert.Equal(1.159566044807434, new NLLLoss().Forward(y.LogSoftmax(1), target).Item(), 5);
            Assert.Equal(1.7558399438858032, Functional.CrossEntropy(y, Det([3, 5], 9).Softmax(1)).Item(), 5);
            Assert.Equal(1.159566044807434, new CrossEntropyLoss().Forward(y, target).Item(), 5);
        }
    }

    [Fact]
    public void MSELossMatchesPyTorch()
    {
        var a = Det([2, 3], 4, requiresGrad: true);
        var loss = new MSELoss().Forward(a, Det([2, 3], 5));
        loss.Backward();
        Assert.Equal(0.05249322950839996, loss.Item(), 6);
        Close(new[] { 0.11429522931575775f, 0.10621307790279388f, 0.0837554782629013f, 0.04996197670698166f, 0.009406348690390587f, -0.03242238610982895f }, a.Grad!);
    }

    [Fact]
    public void LayerNormMatchesPyTorch()
    {
        var ln = new LayerNorm(4);
        ln.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Det([4], 6), ["bias"] = Det([4], 7) });
        var x = Det([3, 4], 8, requiresGrad: true);
        var output = ln.Forward(x);
        (output * Det([3, 4], 10)).Sum().Backward();

        Close(new[] { 0.08096035569906235f, -0.18290843069553375f, -0.5162487626075745f, -0.6955666542053223f, 0.2344731241464615f, -0.5389766693115234f, -0.7741275429725647f, -0.3249798119068146f, -1.0486901998519897f, -0.681240975856781f, -0.09943580627441406f, 0.4383772015571594f }, output);
        Close(new[] { 0.1549261212348938f, -0.1442941427230835f, -0.16154325008392334f, 0.15091145038604736f, 0.01768016815185547f, -1.2293205261230469f, -0.4439535140991211f, 1.6555957794189453f, -0.16360211372375488f, 0.1402982473373413f, 0.17279231548309326f, -0.14948821067810059f }, x.Grad!, 1e-4);
        Close(new[] { -1.4322634935379028f, -0.3570117652416229f, 0.5164772272109985f, 1.309838056564331f }, ln.Weight!.Grad!);
        Close(new[] { 0.4786607027053833f, 0.32111772894859314f, 0.12011295557022095f, -0.09714853763580322f }, ln.Bias!.Grad!);
    }

    [Fact]
    public void BatchNorm1dTrainsAndEvaluatesAsPyTorch()
    {
        var bn = new BatchNorm1d(3);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.StateDict().Keys);
        Assert.Equal(DType.Int64, bn.StateDict()["num_batches_tracked"].DType);

        var x = Det([4, 3], 11, requiresGrad: true);
        var output = bn.Forward(x);
        (output * Det([4, 3], 12)).Sum().Backward();

        Close(new[] { 1.2136613130569458f, 1.4145451784133911f, 1.5593295097351074f, 0.6965793371200562f, 0.46331125497817993f, 0.1642589271068573f, -0.6256963014602661f, -0.8365479111671448f, -1.0288152694702148f, -1.2845444679260254f, -1.0413086414337158f, -0.6947731375694275f }, output, 1e-4);
        Close(new[] { 0.39938944578170776f, 0.30444562435150146f, 0.1856580525636673f, -0.37337207794189453f, -0.4493062198162079f, -0.6099514365196228f, -0.3913814425468445f, -0.3490331172943115f, -0.31625398993492126f, 0.3653640151023865f, 0.4938938021659851f, 0.7405475974082947f }, x.Grad!, 1e-4);
        Close(new[] { 0.001128887408412993f, -0.005768353585153818f, -0.011884872801601887f }, bn.RunningMean!);
        Close(new[] { 0.921097993850708f, 0.9198682904243469f, 0.9157188534736633f }, bn.RunningVar!);
        Assert.Equal(1.0, bn.NumBatchesTracked!.Item());

        bn.Eval();
        Close(new[] { 0.165065199136734f, -0.017552820965647697f, -0.19835332036018372f, -0.3694944977760315f, -0.47093379497528076f, -0.5095380544662476f }, bn.Forward(Det([2, 3], 13)), 1e-4);
    }

    [Fact]
    public void LstmMatchesPyTorch()
    {
        var lstm = new LSTM(3, 2, numLayers: 2);
        Assert.Equal(
            ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"],
            lstm.NamedParameters().Select(p => p.Name));
        var k = 20;
        lstm.LoadStateDict(lstm.NamedParameters().ToDictionary(p => p.Name, p => Det(p.Parameter.Shape, k++)));

        var x = Det([4, 2, 3], 30, requiresGrad: true);
        var (output, (hn, cn)) = lstm.Forward(x, null);
        (output.Sum() + (hn.Sum() * 2) + (cn.Sum() * 3)).Backward();

        Close(new[] { 0.1983649581670761f, 0.23628944158554077f, 0.20014220476150513f, 0.23855584859848022f, 0.3138759434223175f, 0.3602272868156433f, 0.3140481412410736f, 0.36073628067970276f, 0.37554502487182617f, 0.42415595054626465f, 0.3753186762332916f, 0.4239733815193176f, 0.411660373210907f, 0.46254003047943115f, 0.41300755739212036f, 0.4638615846633911f }, output);
        Close(new[] { -0.17142699658870697f, -0.123664490878582f, -0.1055331602692604f, -0.15403620898723602f, 0.411660373210907f, 0.46254003047943115f, 0.41300755739212036f, 0.4638615846633911f }, hn);
        Close(new[] { -0.5304386615753174f, -0.35017985105514526f, -0.48350322246551514f, -0.42370662093162537f, 0.7045610547065735f, 1.0094945430755615f, 0.7025147080421448f, 1.010495901107788f }, cn);
        Close(new[] { -0.026710432022809982f, 0.0004775783745571971f, 0.027600951492786407f, -0.033003777265548706f, -0.012360332533717155f, 0.009956024587154388f, -0.015727778896689415f, 0.006143965292721987f, 0.027184154838323593f, -0.008567392826080322f, 0.017655614763498306f, 0.041489023715257645f, 0.05182194337248802f, 0.15450748801231384f, 0.23628117144107819f, 0.09565543383359909f, 0.2656647861003876f, 0.39971762895584106f, -0.2538674473762512f, 0.20566913485527039f, 0.6373693943023682f, -0.36545780301094055f, 0.017175810411572456f, 0.3974847197532654f }, x.Grad!, 1e-4);
        Close(new[] { -0.17235958576202393f, -0.012342482805252075f, 0.14934509992599487f, -0.014498651027679443f, 0.17398293316364288f, 0.33891668915748596f, -0.045984990894794464f, 0.07011361420154572f, 0.1767226606607437f, -0.0662284642457962f, -0.017902374267578125f, 0.03284669667482376f, 0.3367162048816681f, 0.1420302540063858f, -0.07187870144844055f, 0.5550427436828613f, 0.3866502046585083f, 0.16592654585838318f, 0.006079692393541336f, 0.08807892352342606f, 0.15815706551074982f, 0.004026677459478378f, 0.06651850789785385f, 0.12000735849142075f }, lstm.NamedParameters().Single(p => p.Name == "weight_ih_l0").Parameter.Grad!, 1e-4);
        Close(new[] { 4.598953723907471f, 4.495856761932373f, 2.340233325958252f, 2.4959495067596436f, 4.3206586837768555f, 5.714610576629639f, 1.4090818166732788f, 1.9637095928192139f }, lstm.NamedParameters().Single(p => p.Name == "bias_hh_l1").Parameter.Grad!, 1e-4);

        // Batch-first and a given state give the same numbers.
        var first = new LSTM(3, 2, numLayers: 2, batchFirst: true);
        first.LoadStateDict(lstm.StateDict());
        var (sameOutput, _) = first.Forward(x.Detach().Transpose(0, 1), (Tensor.Zeros([2, 2, 2]), Tensor.Zeros([2, 2, 2])));
        Close(output.ToArray<float>(), sameOutput.Transpose(0, 1));
    }

    [Fact]
    public void CrossEntropyOverExtraDimsWithIgnoredTargetsMatchesPyTorch()
    {
        // PyTorch: logits [2, 3, 4] (classes on dim 1), targets [2, 4] with two ignored (-100).
        var x = Det([2, 3, 4], 50, requiresGrad: true);
        var target = Tensor.From(new long[] { 0, 2, -100, 1, 2, 2, 0, -100 }, [2, 4]);
        var loss = Functional.CrossEntropy(x, target);
        loss.Backward();

        Assert.Equal(1.1668249368667603, loss.Item(), 5);
        Close(new[] { -0.11432052403688431f, 0.042533110827207565f, 0.0f, 0.03173186630010605f, 0.04055149853229523f, 0.042011089622974396f, 0.0f, -0.1171262115240097f, 0.07376903295516968f, -0.08454420417547226f, 0.0f, 0.08539435267448425f, 0.08513151854276657f, 0.08627023547887802f, -0.08404615521430969f, 0.0f, 0.04998917877674103f, 0.045217689126729965f, 0.04218601807951927f, 0.0f, -0.1351207047700882f, -0.13148793578147888f, 0.04186014458537102f, 0.0f }, x.Grad!);
        var none = Functional.CrossEntropy(x.Detach(), target, reduction: "none");
        Assert.Equal([2, 4], none.Shape);
        Close(new[] { 1.1581175327301025f, 0.7077841758728027f, 0.0f, 1.2132060527801514f, 1.6645500659942627f, 1.5555541515350342f, 0.7017378211021423f, 0.0f }, none);
    }
}
