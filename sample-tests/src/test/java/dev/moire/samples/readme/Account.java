package dev.moire.samples.readme;

import dev.moire.runtime.sync.TrackedLock;
import java.util.concurrent.locks.ReentrantLock;

/** The README's account: a balance guarded by its own lock. */
final class Account {
  final String id;
  final ReentrantLock lock;
  long balance = 100;

  Account(String id) {
    this.id = id;
    this.lock = new TrackedLock("account " + id); // was: new ReentrantLock()
  }
}
