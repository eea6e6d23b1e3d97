package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The twin of {@link LockOrderInversionSample} in plain JDK code: {@code ReentrantLock}. */
@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story = "two transfers take the same two ReentrantLocks in opposite orders (plain JDK)")
@MoireTracked
@Timeout(10)
final class PlainReentrantLockInversionSample {
  static final class Account {
    final ReentrantLock lock = new ReentrantLock();
    long balance = 100;
  }

  static void transfer(Account from, Account to, long amount, CountDownLatch bothStarted) {
    from.lock.lock();
    try {
      bothStarted.countDown();
      LockOrderInversionSample.run(bothStarted::await); // the bad interleaving, for the sample
      to.lock.lock(); // uninterruptible: moire leaves the thread behind
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
    Account alice = new Account();
    Account bob = new Account();
    CountDownLatch bothStarted = new CountDownLatch(2);
    Thread t1 = new Thread(() -> transfer(alice, bob, 10, bothStarted), "transfer-1");
    Thread t2 = new Thread(() -> transfer(bob, alice, 20, bothStarted), "transfer-2");
    t1.setDaemon(true);
    t2.setDaemon(true);
    t1.start();
    t2.start();
    t1.join();
    t2.join();
  }
}
