using CodeMigrations.Tool.Host;
using CodeMigrations.Tool.Launching;

// One assembly, two roles. Run as `codemigrations`, it is the launcher: it finds the user's built assembly and starts
// a second process, `dotnet exec --depsfile <user's deps.json> ... CodeMigrations.Tool.dll --host-for <assembly> ...`,
// in which it is the host. This method only dispatches: the host must install its assembly resolver before any type
// of CodeMigrations.Cli is touched, which the launcher's code would do.
return args is [MigrationHost.Marker, var assemblyPath, .. var rest]
    ? await MigrationHost.RunAsync(assemblyPath, rest)
    : await ToolLauncher.RunAsync(args);
