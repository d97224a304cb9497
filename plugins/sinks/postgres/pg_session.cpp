#include "pg_session.hpp"

namespace nebula::sinks::postgres {

Connection& Session::connection() {
  fresh_ = false;
  if (conn_ && !conn_->broken()) return *conn_;
  conn_.reset();
  auto made = std::make_unique<Connection>(settings_);
  on_connect_(*made);
  conn_ = std::move(made);
  fresh_ = true;
  ++connects_;
  return *conn_;
}

}  // namespace nebula::sinks::postgres
