#!/usr/bin/env bash
# Builds the Unity bridge's engine-free sources (Editor/Protocol) with the console tests (Tests~/Console) into
# out/unity/Orfeas.Bridge.Tests.exe, so that they run without Unity:
#   bash bridge-unity/Tests~/build.sh && mono out/unity/Orfeas.Bridge.Tests.exe --root . [--only vectors]
# Needs Mono's mcs (Debian: mono-mcs). mcs 6.8 reads C# 7.2 at most; Unity 2021.3 compiles the same files as C# 9.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/out/unity"
if ! command -v mcs >/dev/null; then
	echo "mcs not found: install Mono's C# compiler (Debian: apt-get install mono-mcs)." >&2
	exit 1
fi
mkdir -p "$out"
cd "$root"
shopt -s nullglob
sources=(bridge-unity/Editor/Protocol/*.cs bridge-unity/Tests~/Console/*.cs)
# Only the assemblies Unity references by default in every API compatibility level.
if ! log="$(mcs -langversion:7.2 -target:exe -debug -warn:4 -warnaserror+ \
	-r:System.dll -r:System.Core.dll \
	-out:"$out/Orfeas.Bridge.Tests.exe" "${sources[@]}" 2>&1)"; then
	printf '%s\n' "$log" >&2
	exit 1
fi
echo "Built out/unity/Orfeas.Bridge.Tests.exe from ${#sources[@]} files."
