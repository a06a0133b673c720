// Storage for the pool backend's large tensors (dist/gradnote-alloc.node): SharedArrayBuffers
// whose memory comes from a cache of blocks that earlier tensors left behind.
//
// Why: every `new SharedArrayBuffer` of a few hundred KiB gets fresh pages from the system
// (glibc serves it with mmap, and V8 unmaps it again once collected), so each training step
// page-faults its gradients and activations in anew: on a virtual machine that is ~20 us a page,
// more than the arithmetic. Here a collected buffer's memory goes back into a size-class cache
// (the backing store's deleter, called by V8 from whichever thread frees it) and the next buffer
// of that class reuses it, zeroed with memset (unless its caller overwrites all of it, as a
// matrix product does with its output). The cache holds at most `cap` bytes (64 MiB by
// default); `trim()` returns everything to the system (the loader calls it when the process idles).
//
// Uses V8's C++ API (SharedArrayBuffer::NewBackingStore with a deleter), which Node-API lacks,
// so it is built against this Node's own headers and loaded only by the Node it was built for.
#include <node.h>
#include <v8.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace {

constexpr int kClasses = 64 * 8;
constexpr size_t kMinBytes = 32768;

struct Block {
  Block *next;
};

// Who allocated a block: its bytes are reported to that isolate's heap as external memory (so
// V8 weighs them when it decides to collect), and taken back when V8 frees the buffer, possibly
// on another thread: `released` is the only field touched there.
struct Account {
  std::atomic<size_t> released{0};
  size_t allocated = 0, releasedSeen = 0;
};

// Each block starts with this header; V8 gets the memory after it.
struct Header {
  size_t bytes;
  Account *account;
};
constexpr size_t kHeader = 64;

thread_local Account *account = nullptr;

std::mutex lock;
Block *bins[kClasses];
size_t cached = 0, cap = size_t(64) << 20;
// V8 counts a SharedArrayBuffer's memory toward no young-generation trigger when the embedder
// supplies it, so the young generation is collected here every `gcEvery` bytes of fresh memory
// (blocks not found in the cache): dead tensors' blocks come back to the cache within a step.
// (Per thread: each isolate that allocates counts its own bytes and collects its own heap.)
std::atomic<size_t> gcEvery{size_t(32) << 20};
thread_local size_t sinceGc = 0;
double hits = 0, misses = 0;

int log2floor(size_t x) { return 63 - __builtin_clzll(x); }

// The block size for `bytes`: rounded up to an eighth of its power of two (at most 12.5% more).
size_t classBytes(size_t bytes) {
  size_t step = size_t(1) << (log2floor(bytes) - 3);
  return (bytes + step - 1) / step * step;
}

int classIndex(size_t blockBytes) {
  int e = log2floor(blockBytes);
  return e * 8 + int((blockBytes - (size_t(1) << e)) >> (e - 3));
}

void release(void *data, size_t, void *) {
  Header *h = reinterpret_cast<Header *>(static_cast<char *>(data) - kHeader);
  size_t bytes = h->bytes;
  h->account->released.fetch_add(bytes, std::memory_order_relaxed);
  data = h;
  {
    std::lock_guard<std::mutex> g(lock);
    if (cached + bytes <= cap) {
      Block *b = static_cast<Block *>(data);
      int i = classIndex(bytes);
      b->next = bins[i];
      bins[i] = b;
      cached += bytes;
      return;
    }
  }
  std::free(data);
}

void trimLocked(size_t keep) {
  for (int i = kClasses - 1; i >= 0 && cached > keep; i--) {
    size_t bytes = i / 8 >= 3 ? (size_t(1) << (i / 8)) + (size_t(i % 8) << (i / 8 - 3)) : 0;
    while (bins[i] && cached > keep) {
      Block *b = bins[i];
      bins[i] = b->next;
      cached -= bytes;
      std::free(b);  // the block's header is its start
    }
  }
}

void Throw(v8::Isolate *iso, const char *msg) {
  iso->ThrowException(v8::Exception::RangeError(v8::String::NewFromUtf8(iso, msg).ToLocalChecked()));
}

// alloc(bytes, zero = 1): a zero-filled SharedArrayBuffer of exactly `bytes` (at least 32 KiB);
// with zero 0, a block reused from the cache keeps its old contents (for storage the caller
// overwrites in full).
void Alloc(const v8::FunctionCallbackInfo<v8::Value> &args) {
  v8::Isolate *iso = args.GetIsolate();
  double want = args.Length() > 0 && args[0]->IsNumber() ? args[0].As<v8::Number>()->Value() : -1;
  bool zero = !(args.Length() > 1 && args[1]->IsNumber() && args[1].As<v8::Number>()->Value() == 0);
  if (!(want >= double(kMinBytes) && want <= 9e15 && want == double(size_t(want)))) {
    Throw(iso, "gradnote alloc: bytes must be an integer of at least 32768");
    return;
  }
  size_t bytes = size_t(want), block = classBytes(bytes);
  void *data = nullptr;
  size_t every = gcEvery.load(std::memory_order_relaxed);
  if (every > 0 && sinceGc >= every) {
    sinceGc = 0;
    iso->RequestGarbageCollectionForTesting(v8::Isolate::kMinorGarbageCollection);
  }
  {
    std::lock_guard<std::mutex> g(lock);
    int i = classIndex(block);
    if (bins[i]) {
      data = bins[i];
      bins[i] = bins[i]->next;
      cached -= block;
      hits++;
    } else {
      misses++;
      // Only fresh memory counts toward the next collection: blocks reused from the cache do
      // not grow the process.
      sinceGc += block;
    }
  }
  if (!data) data = std::calloc(1, block + kHeader);  // fresh pages are zero already
  else if (zero) std::memset(static_cast<char *>(data) + kHeader, 0, bytes);
  if (!data) {
    Throw(iso, "gradnote alloc: out of memory");
    return;
  }
  if (!account) account = new Account();  // one per thread, kept for the process's life
  Header *h = static_cast<Header *>(data);
  h->bytes = block;
  h->account = account;
  // Report this block, and what V8 freed since the last report, to this isolate's heap.
  size_t rel = account->released.load(std::memory_order_relaxed);
  int64_t delta = int64_t(block) - int64_t(rel - account->releasedSeen);
  account->releasedSeen = rel;
  account->allocated += block;
  iso->AdjustAmountOfExternalAllocatedMemory(delta);
  std::unique_ptr<v8::BackingStore> store =
      v8::SharedArrayBuffer::NewBackingStore(static_cast<char *>(data) + kHeader, bytes, release, nullptr);
  args.GetReturnValue().Set(v8::SharedArrayBuffer::New(iso, std::move(store)));
}

// stats(): [bytes cached, allocations served from the cache, allocations that were not, bytes of
// this thread's allocations that V8 has not freed yet].
void Stats(const v8::FunctionCallbackInfo<v8::Value> &args) {
  v8::Isolate *iso = args.GetIsolate();
  v8::Local<v8::Array> out = v8::Array::New(iso, 4);
  v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  double live = account ? double(account->allocated - account->released.load(std::memory_order_relaxed)) : 0;
  std::lock_guard<std::mutex> g(lock);
  out->Set(ctx, 0, v8::Number::New(iso, double(cached))).Check();
  out->Set(ctx, 1, v8::Number::New(iso, hits)).Check();
  out->Set(ctx, 2, v8::Number::New(iso, misses)).Check();
  out->Set(ctx, 3, v8::Number::New(iso, live)).Check();
  args.GetReturnValue().Set(out);
}

// trim(keepBytes = 0): frees cached blocks until at most keepBytes remain.
void Trim(const v8::FunctionCallbackInfo<v8::Value> &args) {
  double keep = args.Length() > 0 && args[0]->IsNumber() ? args[0].As<v8::Number>()->Value() : 0;
  std::lock_guard<std::mutex> g(lock);
  trimLocked(keep > 0 ? size_t(keep) : 0);
}

// configure(capBytes, gcEveryBytes): the most the cache holds (trimmed down to it at once), and
// the bytes allocated between young-generation collections (0: never).
void Configure(const v8::FunctionCallbackInfo<v8::Value> &args) {
  double c = args.Length() > 1 && args[0]->IsNumber() ? args[0].As<v8::Number>()->Value() : -1;
  double e = args.Length() > 1 && args[1]->IsNumber() ? args[1].As<v8::Number>()->Value() : -1;
  if (!(c >= 0 && c <= 9e15 && e >= 0 && e <= 9e15)) {
    Throw(args.GetIsolate(), "gradnote alloc: configure needs two byte counts >= 0");
    return;
  }
  std::lock_guard<std::mutex> g(lock);
  cap = size_t(c);
  gcEvery.store(size_t(e), std::memory_order_relaxed);
  trimLocked(cap);
}

}  // namespace

NODE_MODULE_INIT() {
  v8::Isolate *iso = context->GetIsolate();
  auto fn = [&](const char *name, v8::FunctionCallback cb) {
    exports->Set(context, v8::String::NewFromUtf8(iso, name).ToLocalChecked(),
                 v8::FunctionTemplate::New(iso, cb)->GetFunction(context).ToLocalChecked())
        .Check();
  };
  fn("alloc", Alloc);
  fn("stats", Stats);
  fn("trim", Trim);
  fn("configure", Configure);
  // RequestGarbageCollectionForTesting needs the flag; the kernel sets it at start anyway
  // (kernel/v8-flags.ts), so its V8 code cache sees the same flags.
  v8::V8::SetFlagsFromString("--expose-gc");
  exports->Set(context, v8::String::NewFromUtf8(iso, "abi").ToLocalChecked(), v8::Integer::New(iso, 1)).Check();
}
