#include "nebula_agents/torch_threads.hpp"

#include "torch_include.hpp"

namespace nebula::agents {

void use_torch_threads(int n) {
  thread_local int applied = 0;
  if (n < 1 || applied == n) return;
  at::set_num_threads(n);
  applied = n;
}

}  // namespace nebula::agents
