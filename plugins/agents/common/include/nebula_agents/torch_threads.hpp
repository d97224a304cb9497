// Intra-op threads for libtorch, set on the calling (training) thread.
//
// Why deliberately: libtorch defaults to one thread per core for every
// thread that runs ops. Three agents training in parallel on a 2-core host
// would oversubscribe the CPU for tiny matrices where threading only adds
// overhead. Each agent calls this at the start of learn() with its
// `torch_threads` setting (default 1; the host fills it in from
// `training.torch_threads_per_agent` when the agent's config leaves it out);
// queries never run torch ops (they use DenseSnapshot), so admin threads are
// unaffected. The workers libtorch starts from here inherit the training
// thread's priority (`training.priority`).
#pragma once

namespace nebula::agents {

// Calls at::set_num_threads(n) once per thread (again only if n changes).
void use_torch_threads(int n);

}  // namespace nebula::agents
