#!/usr/bin/env bash
# site_corpus.sh — part 2 of tests/site.sh on its own: `specsite build` of
# ../shared/corpus/fuel-specs compared with Sphinx's trees. Says SKIPPED
# when the corpus is absent (see site.sh).
#
#   bash tests/site_corpus.sh PATH/TO/specsite SOURCE_DIR
SITE_PART=corpus exec bash "$(dirname "$0")/site.sh" "$@"
