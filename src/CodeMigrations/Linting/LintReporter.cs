namespace CodeMigrations.Linting;

/// <summary>Receives what the statement rules find: the rule broken and the object it is broken on.</summary>
internal delegate void LintReporter(LintRule rule, string subject);
