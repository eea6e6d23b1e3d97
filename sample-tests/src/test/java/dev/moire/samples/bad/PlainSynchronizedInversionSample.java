package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The twin of {@link LockOrderInversionSample} in plain JDK code: {@code synchronized}. */
@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story = "two transfers synchronize on the same two accounts in opposite orders (plain JDK)")
@MoireTracked
@Timeout(10)
final class PlainSynchronizedInversionSample {
  static final class Account {
    long balance = 100;
  }

  static void transfer(Account from, Account to, long amount, CountDownLatch bothStarted) {
    synchronized (from) {
      bothStarted.countDown();
      LockOrderInversionSample.run(bothStarted::await); // the bad interleaving, for the sample
      synchronized (to) {
        from.balance -= amount;
        to.balance += amount;
      }
    }
  }

  @Test
  void transfersInBothDirections() throws Exception {
    Account alice = new Account();
    Account bob = new Account();
    CountDownLatch bothStarted = new CountDownLatch(2);
    Thread t1 = new Thread(() -> transfer(alice, bob, 10, bothStarted), "transfer-1");
    Thread t2 = new Thread(() -> transfer(bob, alice, 20, bothStarted), "transfer-2");
    t1.setDaemon(true); // entering a monitor cannot be interrupted: moire leaves them behind
    t2.setDaemon(true);
    t1.start();
    t2.start();
    t1.join();
    t2.join();
  }
}
