#!/usr/bin/env bash
# Finds a JDK 21 or newer, exports JAVA_HOME and puts "$JAVA_HOME/bin" first on PATH; sets (does not export)
# WHARF_JDK_MAJOR to its major version and WHARF_JDK_VERSION to its full version ("25.0.3+9-LTS": the build too,
# where the JDK's `release` file names it).
#
# Meant to be sourced by bash scripts (./wharf, ./run-tests, .ci/run); when nothing suitable exists it says
# what it found and rejected, and how to install a JDK, then fails (return 1 when sourced, exit 1 when run).
# Run directly, it prints the JAVA_HOME it would use.
#
# Search order, first match wins:
#   1. $JAVA_HOME
#   2. javac, then java, on PATH (symlinks followed to the real JDK)
#   3. the usual install folders, each a glob, in this order:
#      /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* ~/.sdkman/candidates/java/*
#      /Library/Java/JavaVirtualMachines/*/Contents/Home
#      WHARF_JDK_SEARCH_PATHS (a colon-separated list of globs) replaces this list; empty means none.
# A candidate must run `bin/java -version` reporting major version 21 or newer and must have bin/javac.
set -euo pipefail

_wharf_jdk_min=21
_wharf_jdk_seen=''
_wharf_jdk_rejected=''
_wharf_jdk_home_note=''
_wharf_jdk_last_reason=''

# Prints the physical path of file $1, following every symlink (readlink -f is not on older macOS).
_wharf_jdk_realpath() {
  local file=$1 dir
  while [ -L "$file" ]; do
    dir=$(cd -P "$(_wharf_jdk_dirname "$file")" && pwd)
    file=$(readlink "$file")
    case $file in /*) ;; *) file=$dir/$file ;; esac
  done
  dir=$(cd -P "$(_wharf_jdk_dirname "$file")" && pwd)
  printf '%s/%s\n' "$dir" "${file##*/}"
}

# Prints the folder part of path $1, as dirname does for the paths used here, without forking dirname.
_wharf_jdk_dirname() {
  case $1 in
    */*) printf '%s\n' "${1%/*}" ;;
    *) printf '.\n' ;;
  esac
}

# Sets _wharf_jdk_found_major to the major version of the JDK in folder $1 ("1.8.0_402" -> 8, "17.0.15" -> 17,
# "21" -> 21, "25.0.3" -> 25, "22-ea" -> 22) and _wharf_jdk_found_version to its full version. Reads the JDK's
# `release` file when there is one (starting a JVM only to ask its version costs about 50 ms a candidate, which
# every `./wharf` start would pay; the file is read with bash alone, as a fork costs milliseconds too), otherwise
# runs `bin/java -version`. Fails when neither tells a version.
_wharf_jdk_major() {
  local home=$1 line out='' full='' version
  if [ -x "$home/bin/java" ] && [ -r "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=*) out=$line ;;
        JAVA_RUNTIME_VERSION=*) full=$line ;;
      esac
    done <"$home/release"
  fi
  if [[ $out =~ JAVA_VERSION=\"([^\"]+)\" ]]; then
    version=${BASH_REMATCH[1]}
    if [[ $full =~ JAVA_RUNTIME_VERSION=\"([^\"]+)\" ]]; then full=${BASH_REMATCH[1]}; else full=$version; fi
  else
    out=$("$home/bin/java" -version 2>&1) || return 1
    [[ $out =~ version\ \"([^\"]+)\" ]] || return 1
    version=${BASH_REMATCH[1]}
    full=$version
  fi
  version=${version#1.}
  version=${version%%[!0-9]*}
  [ -n "$version" ] || return 1
  _wharf_jdk_found_major=$version
  _wharf_jdk_found_version=$full
}

# Records a rejected candidate for the failure message.
_wharf_jdk_reject() {
  _wharf_jdk_last_reason=$1
  _wharf_jdk_rejected+="  found $1"$'\n'
}

# Accepts JDK home $1 (found via $2, e.g. "JAVA_HOME" or "PATH") by setting JAVA_HOME, or records why not.
# Folders without bin/java are skipped silently unless $3 is "report" (a bad JAVA_HOME is worth a word).
_wharf_jdk_consider() {
  local home=$1 origin=$2 report=${3:-} label major
  if [ ! -d "$home" ]; then
    [ "$report" = report ] && _wharf_jdk_reject "$origin=$home: not a directory"
    return 1
  fi
  home=$(cd -P "$home" && pwd)
  case $'\n'"$_wharf_jdk_seen" in *$'\n'"$home"$'\n'*) return 1 ;; esac
  _wharf_jdk_seen+="$home"$'\n'
  case $origin in
    folder) label=$home ;;
    JAVA_HOME) label="JAVA_HOME=$1" ;;
    *) label="$home via $origin" ;;
  esac
  if [ ! -x "$home/bin/java" ]; then
    [ "$report" = report ] && _wharf_jdk_reject "$label: no bin/java, not a JDK"
    return 1
  fi
  if ! _wharf_jdk_major "$home"; then
    _wharf_jdk_reject "$label: bin/java -version failed or printed no version"
    return 1
  fi
  major=$_wharf_jdk_found_major
  if [ "$major" -lt "$_wharf_jdk_min" ]; then
    _wharf_jdk_reject "$label (Java $major): too old"
    return 1
  fi
  if [ ! -x "$home/bin/javac" ]; then
    _wharf_jdk_reject "$label (Java $major): a runtime only, no bin/javac"
    return 1
  fi
  JAVA_HOME=$home
  WHARF_JDK_MAJOR=$major
  WHARF_JDK_VERSION=$_wharf_jdk_found_version
}

# Tries each directory matching the colon-separated globs in $1.
_wharf_jdk_search_folders() {
  local IFS='' patterns pattern dir
  IFS=: read -r -a patterns <<<"$1"
  for pattern in ${patterns[@]+"${patterns[@]}"}; do
    [ -n "$pattern" ] || continue
    # IFS is empty, so this globs the pattern without splitting it on spaces.
    # shellcheck disable=SC2066
    for dir in $pattern; do
      _wharf_jdk_consider "$dir" folder && return 0
    done
  done
  return 1
}

# Sets JAVA_HOME to the first suitable JDK; fails when there is none.
_wharf_find_jdk() {
  local prog path folders
  if [ -n "${JAVA_HOME:-}" ]; then
    _wharf_jdk_consider "$JAVA_HOME" JAVA_HOME report && return 0
    _wharf_jdk_home_note=$_wharf_jdk_last_reason
  fi
  for prog in javac java; do
    path=$(command -v "$prog") || continue
    path=$(_wharf_jdk_realpath "$path")
    path=${path%/*}
    _wharf_jdk_consider "${path%/*}" "$prog on PATH" && return 0
  done
  if [ -n "${WHARF_JDK_SEARCH_PATHS+set}" ]; then
    folders=$WHARF_JDK_SEARCH_PATHS
  else
    folders='/usr/lib/jvm/*:/usr/java/*:/opt/java/*:/opt/jdk*'
    [ -z "${HOME:-}" ] || folders+=":$HOME/.sdkman/candidates/java/*"
    folders+=':/Library/Java/JavaVirtualMachines/*/Contents/Home'
  fi
  _wharf_jdk_search_folders "$folders"
}

# Explains, on stderr, what was rejected and how to get a JDK.
_wharf_jdk_explain() {
  local pkg policy apt_pkg=''
  {
    echo "find-jdk: no JDK $_wharf_jdk_min or newer found; Wharf needs a full JDK (with javac) to build and run."
    if [ -z "${WHARF_JDK_SEARCH_PATHS+set}" ]; then
      echo "Looked at \$JAVA_HOME, javac/java on PATH, /usr/lib/jvm, /usr/java, /opt/java, /opt/jdk*, ~/.sdkman and /Library/Java."
    elif [ -n "$WHARF_JDK_SEARCH_PATHS" ]; then
      echo "Looked at \$JAVA_HOME, javac/java on PATH and WHARF_JDK_SEARCH_PATHS=$WHARF_JDK_SEARCH_PATHS."
    else
      echo "Looked at \$JAVA_HOME and javac/java on PATH (WHARF_JDK_SEARCH_PATHS is empty: no install folders)."
    fi
    if [ -n "$_wharf_jdk_rejected" ]; then
      printf 'Rejected:\n%s' "$_wharf_jdk_rejected"
    else
      echo "Found no Java installation at all."
    fi
    echo "To fix, install a JDK $_wharf_jdk_min+ and run again (or set JAVA_HOME to it):"
    if command -v apt-cache >/dev/null 2>&1; then
      for pkg in openjdk-25-jdk openjdk-21-jdk; do
        policy=$(apt-cache policy "$pkg" 2>/dev/null) || policy=''
        case $policy in *'Candidate: (none)'* | '') ;; *Candidate:*) apt_pkg=$pkg; break ;; esac
      done
      if [ -n "$apt_pkg" ]; then
        echo "  - this machine's apt sources have it: sudo apt-get install $apt_pkg"
      else
        echo "  - Debian/Ubuntu: openjdk-21-jdk is not in this machine's apt sources (Debian 12 ships only 17);"
        echo "    add the Adoptium repository and apt-get install temurin-21-jdk: https://adoptium.net/installation/linux/"
      fi
    fi
    echo "  - Eclipse Temurin, any OS (tarball, package, installer): https://adoptium.net/temurin/releases/"
    echo "  - SDKMAN: sdk install java 21-tem    macOS Homebrew: brew install --cask temurin@21"
  } >&2
}

_wharf_jdk_cleanup() {
  unset -f _wharf_jdk_realpath _wharf_jdk_dirname _wharf_jdk_major _wharf_jdk_reject _wharf_jdk_consider \
    _wharf_jdk_search_folders _wharf_find_jdk _wharf_jdk_explain _wharf_jdk_cleanup
  unset _wharf_jdk_min _wharf_jdk_seen _wharf_jdk_rejected _wharf_jdk_home_note _wharf_jdk_last_reason \
    _wharf_jdk_found_major _wharf_jdk_found_version
}

if ! _wharf_find_jdk; then
  _wharf_jdk_explain
  _wharf_jdk_cleanup
  # Sourced: fail the caller's `source` line; run directly: exit.
  # shellcheck disable=SC2317
  return 1 2>/dev/null || exit 1
fi
if [ -n "$_wharf_jdk_home_note" ]; then
  printf 'find-jdk: note: skipping %s; using %s\n' "$_wharf_jdk_home_note" "$JAVA_HOME" >&2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
_wharf_jdk_cleanup
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "$JAVA_HOME"
fi
