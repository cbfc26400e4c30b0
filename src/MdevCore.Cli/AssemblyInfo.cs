using System.Runtime.Versioning;

// libfuse, mount namespaces and /proc: this project works on Linux only.
[assembly: SupportedOSPlatform("linux")]
