using CsvClassifier;
using DistGrad.Distributed;

// dotnet run --project examples/CsvClassifier -- train                       (the sample files in data/)
// dotnet run --project examples/CsvClassifier -- train --data-dir /my/files  (your train.csv and test.csv)
return DistGradApp.Run(args, SensorJob.Job);
