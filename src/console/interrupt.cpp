#include "console/interrupt.hpp"

#include <unistd.h>

#include "lang/interpreter.hpp"

namespace fw::console {

namespace {
extern "C" void on_interrupt(int) { lang::Interpreter::interrupt(); }
extern "C" void on_alarm(int) { lang::Interpreter::expire(); }
}  // namespace

InterruptGuard::InterruptGuard() {
  lang::Interpreter::clear_interrupt();
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_);
}

InterruptGuard::~InterruptGuard() { sigaction(SIGINT, &previous_, nullptr); }

namespace {
bool timeout_armed = false;  // a statement of a loaded script runs inside the load statement's time
}  // namespace

TimeoutGuard::TimeoutGuard(int seconds) {
  if (seconds <= 0 || timeout_armed) return;
  timeout_armed = true;
  armed_ = true;
  struct sigaction action {};
  action.sa_handler = on_alarm;
  sigemptyset(&action.sa_mask);
  sigaction(SIGALRM, &action, &previous_);
  alarm(static_cast<unsigned>(seconds));
}

TimeoutGuard::~TimeoutGuard() {
  if (!armed_) return;
  timeout_armed = false;
  alarm(0);
  sigaction(SIGALRM, &previous_, nullptr);
  lang::Interpreter::clear_interrupt();  // an alarm that came as the statement ended stops nothing later
}

}  // namespace fw::console
