// Expected block times: lookup order and the config keys that set them.
#include <gtest/gtest.h>

#include <nebula_processors/block_times.hpp>

using nebula::processors::BlockTimes;

TEST(BlockTimes, DefaultsAreTestNetFiveAndMainNetThirty) {
  const BlockTimes bt;
  EXPECT_DOUBLE_EQ(bt.lookup("", "testnet"), 5.0);
  EXPECT_DOUBLE_EQ(bt.lookup("nebula-mainnet", ""), 30.0);
  EXPECT_DOUBLE_EQ(bt.lookup("x", "basic"), 15.0);
}

TEST(BlockTimes, ReadConfigMergesOverTheDefaults) {
  BlockTimes bt;
  nebula::ConfigErrors errors;
  bt.read_config({{"block_time_s", {{"devnet", 1.0}}}, {"default_block_time_s", 12}}, &errors);
  EXPECT_TRUE(errors.empty()) << errors.text();
  EXPECT_DOUBLE_EQ(bt.lookup("devnet", ""), 1.0);
  EXPECT_DOUBLE_EQ(bt.lookup("", "testnet"), 5.0);
  EXPECT_DOUBLE_EQ(bt.lookup("x", "basic"), 12.0);
}

TEST(BlockTimes, ReadConfigPointsAtWhatIsWrong) {
  BlockTimes bt;
  nebula::ConfigErrors errors;
  bt.read_config({{"block_time_s", {{"devnet", 0}}}, {"default_block_time_s", "soon"}}, &errors);
  const std::string text = errors.text();
  EXPECT_NE(text.find("/block_time_s/devnet: must be a number of seconds in (0, 86400]"), std::string::npos) << text;
  EXPECT_NE(text.find("/default_block_time_s: must be a number"), std::string::npos) << text;
  EXPECT_DOUBLE_EQ(bt.fallback_s, 15.0);
}
