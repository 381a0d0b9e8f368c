using DistGrad.Distributed;
using ResidualSpirals;

// dotnet run --project examples/ResidualSpirals -- train              (embedded cluster, 2 workers)
// dotnet run --project examples/ResidualSpirals -- train --cluster --seed-nodes ...   and   ... -- worker --seed-nodes ...
return DistGradApp.Run(args, SpiralJob.Job);
