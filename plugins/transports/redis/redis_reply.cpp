// Reply: a typed view of hiredis's redisReply tree.
#include <hiredis/hiredis.h>

#include "redis_connection.hpp"

namespace nebula::redis {

Reply::Reply(redisReply* owned) : reply_(owned), owned_(owned != nullptr) {}

Reply::Reply(Reply&& other) noexcept : reply_(other.reply_), owned_(other.owned_) {
  other.reply_ = nullptr;
  other.owned_ = false;
}

Reply& Reply::operator=(Reply&& other) noexcept {
  if (this != &other) {
    if (owned_) freeReplyObject(reply_);
    reply_ = other.reply_;
    owned_ = other.owned_;
    other.reply_ = nullptr;
    other.owned_ = false;
  }
  return *this;
}

Reply::~Reply() {
  if (owned_) freeReplyObject(reply_);
}

Reply Reply::view(redisReply* element) {
  Reply r;
  r.reply_ = element;
  return r;
}

bool Reply::is_nil() const { return !reply_ || reply_->type == REDIS_REPLY_NIL; }
bool Reply::is_error() const { return reply_ && reply_->type == REDIS_REPLY_ERROR; }
bool Reply::is_integer() const { return reply_ && reply_->type == REDIS_REPLY_INTEGER; }
bool Reply::is_string() const {
  return reply_ && (reply_->type == REDIS_REPLY_STRING || reply_->type == REDIS_REPLY_STATUS);
}
bool Reply::is_array() const { return reply_ && reply_->type == REDIS_REPLY_ARRAY; }

long long Reply::integer() const { return is_integer() ? reply_->integer : 0; }

std::string_view Reply::str() const {
  if (!(is_string() || is_error()) || !reply_->str) return {};
  return {reply_->str, reply_->len};
}

size_t Reply::size() const { return is_array() ? reply_->elements : 0; }

Reply Reply::at(size_t i) const {
  if (i >= size())
    throw std::out_of_range("redis reply element " + std::to_string(i) + " of " + std::to_string(size()));
  return view(reply_->element[i]);
}

std::string Reply::error() const { return is_error() ? std::string(str()) : std::string(); }

}  // namespace nebula::redis
