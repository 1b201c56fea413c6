return RbmSimd.Cli.CliApp.Run(args);
