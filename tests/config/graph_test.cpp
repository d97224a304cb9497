// Wiring between components: duplicate ids, unknown inputs, self-input, cycles.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PipelineYamlTest;

TEST_F(PipelineYamlTest, DuplicateIdPointsAtTheSecondIdAndNamesTheFirstLine) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
  - plugin: nebula.transport.tcp
    id: http_in
)"),
              ElementsAre(at(5, 9, "duplicate component id 'http_in' (first defined at line 2)")));
}

TEST_F(PipelineYamlTest, UnknownInputSuggestsTheClosestId) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
  - id: blocks
    plugin: nebula.processor.block_data
    inputs: [http_in, htp_inn, kafka]
)"),
              ElementsAre(at(6, 23, "component 'blocks' takes input from unknown component 'htp_inn'; did you mean "
                                    "'http_in'?"),
                          at(6, 32, "component 'blocks' takes input from unknown component 'kafka'")));
}

TEST_F(PipelineYamlTest, UnknownInputDoesNotSuggestTheComponentItself) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: blocks
    plugin: nebula.processor.block_data
    inputs: [block]
)"),
              ElementsAre(at(4, 14, "component 'blocks' takes input from unknown component 'block'")));
}

TEST_F(PipelineYamlTest, SelfInputAndRepeatedInputAreErrors) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
  - id: blocks
    plugin: nebula.processor.block_data
    inputs:
      - http_in
      - blocks
      - http_in
)"),
              ElementsAre(at(8, 9, "component 'blocks' cannot take input from itself"),
                          at(9, 9, "component 'blocks' lists input 'http_in' more than once")));
}

TEST_F(PipelineYamlTest, TwoComponentCycleNamesThePath) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: a
    plugin: nebula.processor.one
    inputs: [b]
  - id: b
    plugin: nebula.processor.two
    inputs: [a]
)"),
              ElementsAre(at(4, 14, "inputs form a cycle: a -> b -> a")));
}

TEST_F(PipelineYamlTest, LongerCycleBehindAnAcyclicPrefixNamesOnlyTheCycle) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: src
    plugin: nebula.transport.http
  - id: p1
    plugin: nebula.processor.one
    inputs: [src, p3]
  - id: p2
    plugin: nebula.processor.two
    inputs: [p1]
  - id: p3
    plugin: nebula.processor.three
    inputs: [p2]
)"),
              ElementsAre(at(6, 19, "inputs form a cycle: p1 -> p2 -> p3 -> p1")));
}

TEST_F(PipelineYamlTest, DiamondIsNotACycle) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: src
    plugin: nebula.transport.http
  - id: left
    plugin: nebula.processor.one
    inputs: [src]
  - id: right
    plugin: nebula.processor.two
    inputs: [src]
  - id: join
    plugin: nebula.processor.three
    inputs: [left, right]
)"),
              IsEmpty());
}

}  // namespace
}  // namespace nebula::host
