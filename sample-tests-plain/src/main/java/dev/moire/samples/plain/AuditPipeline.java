package dev.moire.samples.plain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records ledger entries and hands each to an auditor through a bounded queue. The bug: the
 * recorder keeps the ledger locked while it hands entries over, and the auditor needs the ledger to
 * check each entry, so once the queue is full neither can go on.
 */
public final class AuditPipeline {
  private final BlockingQueue<String> entries = new ArrayBlockingQueue<>(1);
  private final ReentrantLock ledger = new ReentrantLock();
  private final List<String> audited = new ArrayList<>();

  /** Records a batch of entries under the ledger's lock, handing each to the auditor. */
  public void record(List<String> batch) throws InterruptedException {
    ledger.lock();
    try {
      for (String entry : batch) {
        entries.put(entry); // blocks while the queue is full
      }
    } finally {
      ledger.unlock();
    }
  }

  /** Audits {@code count} entries, each against the ledger. */
  public List<String> audit(int count) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      String entry = entries.take();
      ledger.lock(); // the recorder holds it while it waits for room in the queue
      try {
        audited.add(entry);
      } finally {
        ledger.unlock();
      }
    }
    return List.copyOf(audited);
  }
}
