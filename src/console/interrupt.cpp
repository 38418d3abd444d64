#include "console/interrupt.hpp"

#include "lang/interpreter.hpp"

namespace fw::console {

namespace {
extern "C" void on_interrupt(int) { lang::Interpreter::interrupt(); }
}  // namespace

InterruptGuard::InterruptGuard() {
  lang::Interpreter::clear_interrupt();
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_);
}

InterruptGuard::~InterruptGuard() { sigaction(SIGINT, &previous_, nullptr); }

}  // namespace fw::console
