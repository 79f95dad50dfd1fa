#!/usr/bin/env bash
# Re-records tests/data/lua_corpus.expected: what Debian's lua5.1 answers to
# every snippet of tests/data/lua_corpus.lua, run through the same harness
# (tests/data/lua_corpus_harness.lua) that tests/lua_corpus.rs runs on
# slotlab's VM. Needs lua5.1 (apt-get install -y lua5.1).
set -euo pipefail
cd "$(dirname "$0")/../tests/data"
lua5.1 lua_corpus_driver.lua lua_corpus.lua > lua_corpus.expected
echo "tests/data/lua_corpus.expected: $(wc -l < lua_corpus.expected) snippets"
