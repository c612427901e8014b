#!/usr/bin/env bash
# Builds the Unity bridge without Unity, with Mono's mcs (Debian: mono-mcs; C# 7.2 at most, where Unity 2021.3
# compiles the same files as C# 9), into out/unity/:
#   tests   Orfeas.Bridge.Tests.exe — Editor/Protocol with the console tests (Tests~/Console), to run under mono:
#           mono out/unity/Orfeas.Bridge.Tests.exe --root . [--only vectors]
#   editor  a compile check of the Editor code: Editor/Protocol alone into Orfeas.Bridge.Protocol.dll (no Unity API,
#           like its noEngineReferences asmdef), then Editor/Bridge with declarations of the Unity API members it
#           uses (Tests~/UnityApi, a subset copied from Unity's public API) into Orfeas.Bridge.EditorCheck.dll, which
#           only proves that the sources compile and is never loaded.
# Usage: bash bridge-unity/Tests~/build.sh [tests|editor]   (both when no argument)
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
protocol=(bridge-unity/Editor/Protocol/*.cs)
tests=(bridge-unity/Tests~/Console/*.cs)
editor=(bridge-unity/Editor/Bridge/*.cs bridge-unity/Tests~/UnityApi/*.cs)

# Only the assemblies Unity references by default in every API compatibility level (plus, for the Editor code, the
# Protocol assembly, as its asmdef references it: what Protocol keeps internal stays out of reach).
compile() {
	local log
	if ! log="$(mcs -langversion:7.2 -warn:4 -warnaserror+ -r:System.dll -r:System.Core.dll "$@" 2>&1)"; then
		printf '%s\n' "$log" >&2
		exit 1
	fi
}

what="${1:-all}"
if [[ "$what" == tests || "$what" == all ]]; then
	compile -target:exe -debug -out:"$out/Orfeas.Bridge.Tests.exe" "${protocol[@]}" "${tests[@]}"
	echo "Built out/unity/Orfeas.Bridge.Tests.exe from $(( ${#protocol[@]} + ${#tests[@]} )) files."
fi
if [[ "$what" == editor || "$what" == all ]]; then
	compile -target:library -out:"$out/Orfeas.Bridge.Protocol.dll" "${protocol[@]}"
	compile -target:library -r:"$out/Orfeas.Bridge.Protocol.dll" -out:"$out/Orfeas.Bridge.EditorCheck.dll" "${editor[@]}"
	echo "Built out/unity/Orfeas.Bridge.Protocol.dll from ${#protocol[@]} files and out/unity/Orfeas.Bridge.EditorCheck.dll from ${#editor[@]}."
fi
