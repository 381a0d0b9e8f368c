namespace DistGrad.Distributed.Cli;

/// <summary>What <c>coordinator --help</c> and <c>coordinator train --help</c> print.</summary>
public static class HelpText
{
    public const string Train = """
        usage: coordinator train [options]

        Trains a model with data parallelism on a DistGrad cluster. With no options: the MLP on the bundled
        Fashion-MNIST subset, one epoch, on an embedded cluster of 2 worker nodes in this process.

        model and data
          --model NAME                 mlp (784-256-128-10) or cnn (LeNet-style)            [mlp]
          --dataset NAME               fashion-mnist-mini (bundled) or fashion-mnist (IDX)  [fashion-mnist-mini]
          --data-dir DIR               where the fashion-mnist IDX .gz files are     [/usr/share/datasets/fashion-mnist]
          --epochs N                   epochs to train                                      [1]
          --steps N                    optimizer steps to train (wins over --epochs)
          --no-eval                    skip the test-set accuracy at the end
        layout
          --batch-size B               global batch per optimizer step                      [128]
          --accumulation-steps K       micro-steps accumulated per optimizer step           [1]
          --data-parallel D            replicas                                             [2]
          --pipeline-stages S          graph shards per replica                             [1]
          --micro-batches M            micro-batches per step (pipeline)                    [1]
          --schedule gpipe|1f1b        pipeline schedule                                    [1f1b]
          --partition params|profile|3,2   cut by parameter count, measured forward time,
                                       or layers per stage                                  [params]
          --threads-per-worker N       kernel threads per worker, 0 = all cores             [0]
          --devices LIST               embedded workers' devices, in turn: cpu, cuda:N, auto, ilgpu-cpu  [cpu]
          --bucket-mb X                all-reduce bucket size in MiB                        [25]
        optimizer and gradient processors
          --optimizer sgd|adam|adamw   optimizer                                            [sgd]
          --lr X  --momentum X  --weight-decay X                                            [0.1, 0.9, 0]
          --clip-grad-norm X           global-norm clipping stage                           [off]
          --clip-norm-type P           norm of the clipping stage (a number or inf)         [2]
          --clip-grad-value X          value clipping stage                                 [off]
          --seed N                     seed of every random draw                            [0]
        cluster
          --local-nodes N              worker nodes of the embedded cluster                 [2]
          --cluster                    join an existing cluster instead (needs --seed-nodes)
          --seed-nodes URI,...         akka.tcp://distgrad@HOST:PORT of the seed nodes
          --hostname H  --port P       this coordinator node's address (port 0: any)        [127.0.0.1, 0]
          --worker-wait SECONDS        how long to wait for enough worker slots             [60]
          --step-timeout SECONDS       longest wait for any worker's answer                 [60]
        output
          --out DIR                    run directory                                        [runs/<UTC time>]
          --telemetry none|console|otlp   OpenTelemetry exporter for DistGrad.* spans and metrics  [none]
          --otlp-endpoint URL          OTLP collector (with --telemetry otlp)               [http://localhost:4317]
          --checkpoint-every N         write a checkpoint after every N steps; a lost worker then
                                       rolls the job back to the last one instead of failing it  [off]
                                       (kill -HUP the coordinator: one checkpoint after the next step)
          --checkpoint-keep K          whole checkpoints kept                               [3]
          --max-restarts N             recoveries before the job gives up                   [3]
          --resume DIR                 continue from the newest whole checkpoint in DIR (a run directory)
          --standby                    with --cluster and the same options and --out as a running coordinator:
                                       take its job over from the last checkpoint if its node is lost

        The run directory gets metrics.jsonl (a line per step), summary.json and final.safetensors.
        """;

    public const string Top = """
        usage: coordinator train [options]     (coordinator train --help lists the options)
        """;
}
