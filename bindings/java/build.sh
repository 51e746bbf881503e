#!/usr/bin/env bash
# Builds, tests and packages the Java binding with Maven, offline, against Debian's Maven
# repository ($MAVEN_SETTINGS from scripts/lib/setup.sh's setup_java), then compiles and runs the
# README's example against the jar alone (libcaseflow.so inside it, found by JNA).
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"
lib="${CASEFLOW_LIB:-$root/target/debug}"
settings="${MAVEN_SETTINGS:-$root/target/maven-settings.xml}"
rm -rf target
mvn -B -q -s "$settings" --offline -Dcaseflow.lib="$lib" package
grep -h "Tests run" target/surefire-reports/*.txt
jar tf target/caseflow-0.1.0.jar | grep -qx 'linux-x86-64/libcaseflow.so'

# The README's example, extracted between its markers, against the jar: no jna.library.path.
mkdir -p target/example
sed -n '/^\/\/ example: begin/,/^\/\/ example: end/p' README.md >target/example/Example.java
cp="target/caseflow-0.1.0.jar:/usr/share/java/jna.jar:/usr/share/java/gson.jar"
javac -Xlint:all -Werror -d target/example -cp "$cp" target/example/Example.java
RUST_BACKTRACE=0 java -cp "target/example:$cp" Example
