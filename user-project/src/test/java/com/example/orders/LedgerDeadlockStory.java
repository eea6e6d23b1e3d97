package com.example.orders;

import dev.moire.junit.MoireTracked;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Known bad: two transfers lock two plain accounts in opposite orders, no moire type in sight. */
@MoireTracked
class LedgerDeadlockStory {
  static final class Account {
    long balance = 100;
  }

  static void transfer(Account from, Account to, long amount, CountDownLatch bothStarted) {
    synchronized (from) { // takes the first account
      bothStarted.countDown();
      try {
        bothStarted.await();
      } catch (InterruptedException e) {
        return;
      }
      synchronized (to) { // waits for the second
        from.balance -= amount;
        to.balance += amount;
      }
    }
  }

  @Test
  @Timeout(600)
  void transfersBothWays() throws Exception {
    Account alice = new Account();
    Account bob = new Account();
    CountDownLatch bothStarted = new CountDownLatch(2);
    Thread one = new Thread(() -> transfer(alice, bob, 10, bothStarted), "transfer-1");
    Thread two = new Thread(() -> transfer(bob, alice, 20, bothStarted), "transfer-2");
    one.setDaemon(true);
    two.setDaemon(true);
    one.start();
    two.start();
    one.join();
    two.join();
  }
}
