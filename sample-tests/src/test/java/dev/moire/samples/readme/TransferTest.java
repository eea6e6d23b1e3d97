package dev.moire.samples.readme;

import dev.moire.junit.MoireTracked;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// readme:begin transfer-test
@MoireTracked
class TransferTest {
  @Test
  @Timeout(10)
  void transfersInBothDirections() throws Exception {
    Account alice = new Account("alice"); // each guards its balance with a TrackedLock
    Account bob = new Account("bob");
    CountDownLatch bothHoldOne = new CountDownLatch(2); // makes the bad interleaving certain
    Thread t1 = new Thread(() -> transfer(alice, bob, 10, bothHoldOne), "transfer-1");
    Thread t2 = new Thread(() -> transfer(bob, alice, 20, bothHoldOne), "transfer-2");
    t1.start();
    t2.start();
    t1.join();
    t2.join();
  }

  static void transfer(Account from, Account to, long amount, CountDownLatch bothHoldOne) {
    from.lock.lock(); // one account first...
    try {
      bothHoldOne.countDown();
      bothHoldOne.await();
      to.lock.lock(); // ...then the other: the two threads in opposite orders
      try {
        from.balance -= amount;
        to.balance += amount;
      } finally {
        to.lock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      from.lock.unlock();
    }
  }
}
// readme:end
