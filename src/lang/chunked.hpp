#pragma once
// Chunked<T>: a sequence kept in blocks of 1, 2, 4, 8, ... elements. Growing
// it adds a block and moves nothing, so a large one never holds its old and
// new copies at once, as a std::vector does while it doubles (a Hash of a
// million pairs peaked at half again its size).
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace fw::lang {

template <typename T> class Chunked {
 public:
  Chunked() = default;
  Chunked(const Chunked& o) {
    for (size_t i = 0; i < o.size_; ++i) emplace_back(o[i]);
  }
  Chunked(Chunked&& o) noexcept : blocks_(std::move(o.blocks_)), size_(std::exchange(o.size_, 0)) {}
  Chunked& operator=(Chunked o) noexcept {
    std::swap(blocks_, o.blocks_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~Chunked() { shrink_to(0); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) {
    auto [block, offset] = locate(i);
    return blocks_[block][offset];
  }
  const T& operator[](size_t i) const { return const_cast<Chunked&>(*this)[i]; }
  T& back() { return (*this)[size_ - 1]; }

  template <typename... A> T& emplace_back(A&&... args) {
    auto [block, offset] = locate(size_);
    // A block's memory is taken as it is, and each element made only when it
    // is added: the pages of a large block past the last element are not touched.
    if (block == blocks_.size()) {
      blocks_.reserve(block + 1);
      blocks_.push_back(static_cast<T*>(::operator new(sizeof(T) << block)));
    }
    T* slot = new (blocks_[block] + offset) T(std::forward<A>(args)...);
    ++size_;
    return *slot;
  }
  // Keeps the first n (n <= size()), letting go of the blocks past them.
  void shrink_to(size_t n) {
    for (size_t i = n; i < size_; ++i) (*this)[i].~T();
    size_ = n;
    size_t keep = n == 0 ? 0 : locate(n - 1).first + 1;
    for (size_t b = keep; b < blocks_.size(); ++b) ::operator delete(blocks_[b]);
    blocks_.resize(keep);
  }
  // Removes the element at i, moving the later ones up.
  void erase(size_t i) {
    for (size_t j = i; j + 1 < size_; ++j) (*this)[j] = std::move((*this)[j + 1]);
    shrink_to(size_ - 1);
  }
  void clear() { shrink_to(0); }

 private:
  // Element i is in block k = floor(log2(i + 1)), of 2^k elements, at i + 1 - 2^k.
  static std::pair<size_t, size_t> locate(size_t i) {
    std::uint64_t n = i + 1;
    size_t block = 63 - static_cast<size_t>(__builtin_clzll(n));
    return {block, n - (std::uint64_t{1} << block)};
  }
  std::vector<T*> blocks_;
  size_t size_ = 0;
};

}  // namespace fw::lang
