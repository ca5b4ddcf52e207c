#!/usr/bin/env bash
# Prints the machine code the JIT compiles for one method, so that a kernel's inner loop can be read (which
# instructions, which bounds checks the JIT kept, whether accumulators spill). A development aid, not part of nnj.
#   bench/hsdis/jit-asm.sh 'org.nnj.core.cpu.VectorGemmF32::kernel2' java --add-modules jdk.incubator.vector -cp ... Main
# Needs gcc and the Debian package libhsdis0-fcml (apt-get install -y libhsdis0-fcml); JDK 17's own search for
# hsdis-amd64.so finds the shim through LD_LIBRARY_PATH. The last C2 compilation in the output is the one that runs.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 'package.Class::method' java ARGS..." >&2; exit 2; }
method="$1"
shift
fcml="/usr/lib/x86_64-linux-gnu/libhsdis.so.0.0.0"
[[ -f "$fcml" ]] || { echo "$0: $fcml not found: apt-get install -y libhsdis0-fcml" >&2; exit 1; }
dir="${TMPDIR:-/tmp}/nnj-hsdis"
mkdir -p "$dir"
if [[ ! -f "$dir/hsdis-amd64.so" ]]; then
    gcc -shared -fPIC -O2 -DHSDIS_FCML="\"$fcml\"" -o "$dir/hsdis-amd64.so" \
        "$(dirname "${BASH_SOURCE[0]}")/hsdis-shim.c" -ldl
fi
java="$1"
shift
LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$java" -XX:+UnlockDiagnosticVMOptions \
    "-XX:CompileCommand=print,$method" -XX:PrintAssemblyOptions=intel "$@"
