#pragma once
// ArrayOf<T>: the elements of a Ruby Array. A std::vector's interface, with
// two differences: removing elements at the front (shift, delete_at(0))
// costs what removing them at the back does, as Ruby's shift does, by
// moving where the array starts within its storage. 24 bytes, as a vector
// (a pointer and 32-bit counts: an array is at most kMaxArrayLength long),
// so that with its reference count it fills a 32-byte block.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace fw::lang {

template <typename T> class ArrayOf {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using pointer = T*;
  using const_pointer = const T*;
  using iterator = T*;
  using const_iterator = const T*;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  ArrayOf() = default;
  ArrayOf(std::initializer_list<T> items) { assign(items.begin(), items.end()); }
  explicit ArrayOf(size_t n, const T& value = T()) { resize(n, value); }
  template <typename It, typename = typename std::iterator_traits<It>::iterator_category>
  ArrayOf(It first, It last) {
    assign(first, last);
  }
  ArrayOf(const std::vector<T>& items) { assign(items.begin(), items.end()); }  // NOLINT
  ArrayOf(std::vector<T>&& items) {  // NOLINT
    reserve(items.size());
    for (auto& x : items) new (end()) T(std::move(x)), ++size_;
  }
  ArrayOf(const ArrayOf& o) { assign(o.begin(), o.end()); }
  ArrayOf(ArrayOf&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)),
        head_(std::exchange(o.head_, 0)),
        size_(std::exchange(o.size_, 0)),
        capacity_(std::exchange(o.capacity_, 0)) {}
  ArrayOf& operator=(const ArrayOf& o) {
    if (this != &o) assign(o.begin(), o.end());
    return *this;
  }
  ArrayOf& operator=(ArrayOf&& o) noexcept {
    ArrayOf(std::move(o)).swap(*this);
    return *this;
  }
  ~ArrayOf() {
    clear();
    ::operator delete(data_);
  }
  operator std::vector<T>() const { return std::vector<T>(begin(), end()); }  // NOLINT

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_ - head_; }
  T* data() { return data_ + head_; }
  const T* data() const { return data_ + head_; }
  iterator begin() { return data(); }
  iterator end() { return data() + size_; }
  const_iterator begin() const { return data(); }
  const_iterator end() const { return data() + size_; }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }
  reverse_iterator rbegin() { return reverse_iterator(end()); }
  reverse_iterator rend() { return reverse_iterator(begin()); }
  const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
  const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& front() { return data()[0]; }
  const T& front() const { return data()[0]; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }

  void reserve(size_t n) {
    if (n > capacity()) reallocate(n);
  }
  void shrink_to_fit() {
    if (size_ < capacity_) reallocate(size_);
  }
  void push_back(const T& x) { emplace_back(x); }
  void push_back(T&& x) { emplace_back(std::move(x)); }
  template <typename... A> T& emplace_back(A&&... args) {
    if (head_ + size_ == capacity_) {
      T made(std::forward<A>(args)...);  // made first: args may be one of the elements
      grow_for(1);
      new (end()) T(std::move(made));
    } else {
      new (end()) T(std::forward<A>(args)...);
    }
    ++size_;
    return back();
  }
  void pop_back() {
    back().~T();
    --size_;
  }
  void clear() {
    std::destroy(begin(), end());
    size_ = 0;
    head_ = 0;
  }
  void resize(size_t n, const T& value = T()) {
    if (n < size_) {
      std::destroy(begin() + n, end());
      size_ = static_cast<std::uint32_t>(n);
      return;
    }
    if (n > capacity()) {
      T copy = value;  // it may be one of the elements, which reserve moves
      reserve(n);
      while (size_ < n) new (end()) T(copy), ++size_;
      return;
    }
    while (size_ < n) new (end()) T(value), ++size_;
  }
  template <typename It> void assign(It first, It last) {
    ArrayOf made;
    if constexpr (std::is_base_of_v<std::forward_iterator_tag, typename std::iterator_traits<It>::iterator_category>)
      made.reserve(static_cast<size_t>(std::distance(first, last)));
    for (; first != last; ++first) made.emplace_back(*first);
    swap(made);
  }
  void swap(ArrayOf& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(head_, o.head_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }

  // Removes [first, last): from the front, by moving the start past them.
  iterator erase(const_iterator first, const_iterator last) {
    auto at = static_cast<size_t>(first - begin());
    auto n = static_cast<size_t>(last - first);
    if (n == 0) return begin() + at;
    if (at == 0) {
      std::destroy(begin(), begin() + n);
      size_ -= static_cast<std::uint32_t>(n);
      head_ = size_ == 0 ? 0 : head_ + static_cast<std::uint32_t>(n);
      return begin();
    }
    iterator to = begin() + at;
    std::move(to + n, end(), to);
    std::destroy(end() - n, end());
    size_ -= static_cast<std::uint32_t>(n);
    return to;
  }
  iterator erase(const_iterator at) { return erase(at, at + 1); }

  iterator insert(const_iterator at, const T& x) { return insert(at, &x, &x + 1); }
  iterator insert(const_iterator at, size_t n, const T& x) {
    ArrayOf copies(n, x);
    return insert(at, copies.begin(), copies.end());
  }
  template <typename It, typename = typename std::iterator_traits<It>::iterator_category>
  iterator insert(const_iterator at, It first, It last) {
    auto place = static_cast<size_t>(at - begin());
    ArrayOf added(first, last);  // copied first: they may be this array's own elements
    size_t n = added.size();
    if (n == 0) return begin() + place;
    if (head_ + size_ + n > capacity_) grow_for(n);
    for (size_t i = 0; i < n; ++i) new (end() + i) T();
    size_ += static_cast<std::uint32_t>(n);
    std::move_backward(begin() + place, end() - n, end());
    std::move(added.begin(), added.end(), begin() + place);
    return begin() + place;
  }

 private:
  // Room for n more at the end. When what was taken off the front is at
  // least what is left, the elements move to new storage of the same size
  // (a queue, pushed at the back and shifted at the front, stays its size);
  // else the storage doubles.
  void grow_for(size_t n) {
    bool front_is_free = head_ >= size_ && size_ + n <= capacity_;
    reallocate(front_is_free ? capacity_ : std::max<size_t>({size_ + n, 2 * size_t{size_}, 4}));
  }
  void reallocate(size_t room) {
    T* moved = static_cast<T*>(::operator new(room * sizeof(T)));
    std::uninitialized_move(begin(), end(), moved);
    std::destroy(begin(), end());
    ::operator delete(data_);
    data_ = moved;
    head_ = 0;
    capacity_ = static_cast<std::uint32_t>(room);
  }
  T* data_ = nullptr;
  std::uint32_t head_ = 0;      // where the elements start in the storage
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;  // the storage's length, from data_
};

}  // namespace fw::lang
