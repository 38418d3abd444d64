# Run after a test binary is built (cmake -P): lists its doctest cases and
# writes a CTest file that registers each case as an entry of its own, named
# BINARY/FILE/CASE and labelled with the binary's tier. The transcripts'
# cases are named transcripts/FILE.
#
# doctest's own doctest_discover_tests stops at the names that hold `;` or
# brackets (CMake's list separator and list brackets). Here the listing is
# split with those characters held aside; in the entry's filter they, `,`
# (doctest's filter separator), `\` and `"` read as doctest's one-character
# wildcard `?`, and an entry's name has `,` for `;`.
#
# Inputs: BINARY (the test program), NAME (its target), LABEL, OUTPUT (the
# CTest file to write), PG_DIR (the PostgreSQL tier's server folder).
execute_process(COMMAND ${BINARY} --list-test-cases --reporters=xml --no-version
                OUTPUT_VARIABLE listing RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "${BINARY} --list-test-cases failed (${failed})")
endif()

# One line per case: only the TestCase elements' name and filename matter.
string(REPLACE ";" "&#59_" listing "${listing}")
string(REPLACE "[" "&#91_" listing "${listing}")
string(REPLACE "]" "&#93_" listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")

set(out "# Written by tests/list_cases.cmake from ${NAME} --list-test-cases.\n")
set(count 0)
foreach(line IN LISTS lines)
  if(NOT line MATCHES "<TestCase name=\"([^\"]*)\"[^>]* filename=\"([^\"]*)\"")
    continue()
  endif()
  set(case "${CMAKE_MATCH_1}")
  set(path "${CMAKE_MATCH_2}")
  get_filename_component(file "${path}" NAME)
  # The file as the compiler named it: a path, or (a ccache with a base
  # folder compiling a generated file where it lies) the bare name.
  if(path MATCHES "/")
    set(source_filter "*/${file}")
  else()
    set(source_filter "${file}")
  endif()
  string(REPLACE "&#91_" "[" case "${case}")
  string(REPLACE "&#93_" "]" case "${case}")
  string(REPLACE "&#59_" ";" case "${case}")
  string(REPLACE "&apos;" "'" case "${case}")
  string(REPLACE "&quot;" "\"" case "${case}")
  string(REPLACE "&lt;" "<" case "${case}")
  string(REPLACE "&gt;" ">" case "${case}")
  string(REPLACE "&amp;" "&" case "${case}")
  string(REGEX REPLACE "[][;,\\\"]" "?" filter "${case}")
  string(REPLACE ";" "," case "${case}")
  if(case MATCHES "^transcript (.*)$")
    set(entry "transcripts/${CMAKE_MATCH_1}")
  else()
    set(entry "${NAME}/${file}/${case}")
  endif()
  string(APPEND out "add_test([==[${entry}]==] [==[${BINARY}]==] --fw-gate [==[--test-case=${filter}]==] [==[--source-file=${source_filter}]==])\n")
  # An entry passes on its exit status, which --fw-gate makes 0 only when its
  # one case ran and passed (doctest alone exits 0 when a filter matches
  # nothing), and 77 when the case could not run here (FW_SKIP): skipped.
  # A crash, an exit before the case finished, or a sanitizer's report (its
  # exit status, and its words, should it ever exit 0) fails.
  string(APPEND out "set_tests_properties([==[${entry}]==] PROPERTIES LABELS ${LABEL} SKIP_RETURN_CODE 77"
                    " FAIL_REGULAR_EXPRESSION [==[Sanitizer|runtime error: ]==])\n")
  if(LABEL STREQUAL "postgres")  # on the fixture's server, or skipped where there is none
    string(APPEND out "set_tests_properties([==[${entry}]==] PROPERTIES FIXTURES_REQUIRED pg"
                      " ENVIRONMENT FWITTER_PG_DIR=${PG_DIR})\n")
  endif()
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${BINARY} listed no test cases")
endif()
file(WRITE "${OUTPUT}" "${out}")
