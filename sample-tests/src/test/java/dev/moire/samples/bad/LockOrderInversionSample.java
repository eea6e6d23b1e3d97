package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.runtime.sync.TrackedLock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story = "two transfers lock the same two accounts in opposite orders")
@MoireTracked
@Timeout(10)
final class LockOrderInversionSample {
  static final class Account {
    final String id;
    final ReentrantLock lock; // the JDK type: the drop-in is one
    long balance = 100;

    Account(String id) {
      this.id = id;
      this.lock = new TrackedLock("account " + id); // was: new ReentrantLock()
    }
  }

  static void transfer(Account from, Account to, long amount, CountDownLatch bothStarted)
      throws InterruptedException {
    from.lock.lock();
    try {
      bothStarted.countDown();
      bothStarted.await(); // make the bad interleaving certain, for the sample's sake
      to.lock.lock();
      try {
        from.balance -= amount;
        to.balance += amount;
      } finally {
        to.lock.unlock();
      }
    } finally {
      from.lock.unlock();
    }
  }

  @Test
  void transfersInBothDirections() throws Exception {
    Account alice = new Account("alice");
    Account bob = new Account("bob");
    CountDownLatch bothStarted = new CountDownLatch(2);
    Thread t1 = new Thread(() -> run(() -> transfer(alice, bob, 10, bothStarted)), "transfer-1");
    Thread t2 = new Thread(() -> run(() -> transfer(bob, alice, 20, bothStarted)), "transfer-2");
    t1.start();
    t2.start();
    t1.join();
    t2.join();
  }

  interface Body {
    void run() throws Exception;
  }

  static void run(Body body) {
    try {
      body.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
