#pragma once
// Ref<T>: a shared reference to a value the language's objects hold (an
// array, a hash, a string's text), as std::shared_ptr but one word wide,
// with its count beside the value in one allocation and not atomic: a
// value lives on the interpreter's thread only. An Object holding it is 16
// bytes where a shared_ptr made it 24.
#include <cstddef>
#include <type_traits>
#include <utility>

namespace fw::lang {

template <typename T> struct Counted {
  template <typename... A> explicit Counted(A&&... args) : value(make(std::forward<A>(args)...)) {}
  std::size_t refs = 1;
  T value;

 private:
  // Parentheses where T has such a constructor (an Array of n copies), braces
  // for an aggregate (Range{first, last}).
  template <typename... A> static T make(A&&... args) {
    if constexpr (std::is_constructible_v<T, A&&...>)
      return T(std::forward<A>(args)...);
    else
      return T{std::forward<A>(args)...};
  }
};

template <typename T> class Ref {
  using Node = Counted<std::remove_const_t<T>>;

 public:
  Ref() = default;
  Ref(std::nullptr_t) {}  // NOLINT: as a null shared_ptr
  Ref(const Ref& o) : node_(o.node_) { retain(); }
  Ref(Ref&& o) noexcept : node_(std::exchange(o.node_, nullptr)) {}
  // A Ref<T> is also a Ref<const T>.
  template <typename U, typename = std::enable_if_t<std::is_same_v<const U, T> && !std::is_same_v<U, T>>>
  Ref(const Ref<U>& o) : node_(o.node_) {  // NOLINT
    retain();
  }
  Ref& operator=(Ref o) noexcept {
    std::swap(node_, o.node_);
    return *this;
  }
  ~Ref() { release(); }

  T* get() const { return node_ ? &node_->value : nullptr; }
  T& operator*() const { return node_->value; }
  T* operator->() const { return &node_->value; }
  explicit operator bool() const { return node_ != nullptr; }
  std::size_t use_count() const { return node_ ? node_->refs : 0; }
  void reset() { Ref().swap_with(*this); }
  bool operator==(const Ref& o) const { return node_ == o.node_; }
  bool operator!=(const Ref& o) const { return node_ != o.node_; }
  bool operator==(std::nullptr_t) const { return node_ == nullptr; }
  bool operator!=(std::nullptr_t) const { return node_ != nullptr; }

  template <typename U, typename... A> friend Ref<U> make_ref(A&&... args);
  template <typename U> friend class Ref;

 private:
  explicit Ref(Node* node) : node_(node) {}
  void swap_with(Ref& o) noexcept { std::swap(node_, o.node_); }
  void retain() const {
    if (node_) ++node_->refs;
  }
  void release() {
    if (node_ && --node_->refs == 0) delete node_;
  }
  Node* node_ = nullptr;
};

template <typename T, typename... A> Ref<T> make_ref(A&&... args) {
  return Ref<T>(new Counted<std::remove_const_t<T>>(std::forward<A>(args)...));
}

}  // namespace fw::lang
