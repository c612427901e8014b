// The Unity bridge's engine-free code tested outside Unity (bridge-unity/build-tests.sh builds this with Mono):
//   mono out/unity/Orfeas.Bridge.Tests.exe --root <repository root> [--only vectors|json|schema|frames|jobs|views|client|team|home|launch|start]
// (team connects to a team server only when ORFEAS_TEST_SERVER and the rest are set: see TeamTests; start leaves a
// daemon running only when ORFEAS_TEST_START_BIN and _HOME are set: see StartTests)
using System;

namespace Orfeas.Bridge.Tests
{
    static class Program
    {
        const string k_Usage = "usage: Orfeas.Bridge.Tests.exe [--root <repository root>] [--only <group>]";

        static int Main(string[] args)
        {
            var root = Environment.CurrentDirectory;
            string only = null;
            for (var i = 0; i < args.Length; i++)
            {
                var known = (args[i] == "--root" || args[i] == "--only") && i + 1 < args.Length;
                if (!known)
                {
                    Console.Error.WriteLine(k_Usage);
                    return 2;
                }
                if (args[i] == "--root")
                    root = args[++i];
                else
                    only = args[++i];
            }
            var run = new TestRun(only);
            VectorTests.Register(run, root);
            JsonTests.Register(run, root);
            SchemaTests.Register(run, root);
            FrameTests.Register(run, root);
            JobTests.Register(run, root);
            ViewTests.Register(run, root);
            ClientTests.Register(run, root);
            TeamTests.Register(run);
            HomeTests.Register(run);
            LaunchTests.Register(run);
            StartTests.Register(run);
            return run.Run(Console.Out);
        }
    }
}
