using CodeMigrations.Benchmarks;

return await BenchmarkProgram.RunAsync(args);
