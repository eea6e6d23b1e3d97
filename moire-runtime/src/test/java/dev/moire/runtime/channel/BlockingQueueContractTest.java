package dev.moire.runtime.channel;

import com.google.common.collect.testing.MinimalCollection;
import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.RuntimeSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.stream.Stream;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Guava's collection testers (guava-testlib) run against {@link TrackedBlockingQueue}, with the
 * features of the JDK queues it stands in for: the third-party check of the queue contract.
 */
final class BlockingQueueContractTest {
  private static final MoireRuntime RUNTIME = MoireRuntime.create(RuntimeSettings.defaults());

  @TestFactory
  Stream<DynamicTest> boundedQueue_meetsTheQueueContract() {
    return dynamicTests(
        QueueTestSuiteBuilder.using(
                new TestStringQueueGenerator() {
                  @Override
                  protected Queue<String> create(String[] elements) {
                    TrackedBlockingQueue<String> q =
                        new TrackedBlockingQueue<>(RUNTIME, "bounded", 100);
                    Collections.addAll(q, MinimalCollection.of(elements).toArray(new String[0]));
                    return q;
                  }
                })
            .named("TrackedBlockingQueue[bounded]")
            .withFeatures(
                CollectionFeature.GENERAL_PURPOSE,
                CollectionFeature.KNOWN_ORDER,
                CollectionSize.ANY)
            .createTestSuite());
  }

  @TestFactory
  Stream<DynamicTest> unboundedQueue_meetsTheQueueContract() {
    return dynamicTests(
        QueueTestSuiteBuilder.using(
                new TestStringQueueGenerator() {
                  @Override
                  protected Queue<String> create(String[] elements) {
                    TrackedBlockingQueue<String> q =
                        new TrackedBlockingQueue<>(RUNTIME, "unbounded");
                    Collections.addAll(q, elements);
                    return q;
                  }
                })
            .named("TrackedBlockingQueue[unbounded]")
            .withFeatures(
                CollectionFeature.GENERAL_PURPOSE,
                CollectionFeature.KNOWN_ORDER,
                CollectionSize.ANY)
            .createTestSuite());
  }

  /** Flattens a JUnit 3 suite into JUnit 5 dynamic tests, each running one tester method. */
  private static Stream<DynamicTest> dynamicTests(TestSuite suite) {
    List<TestCase> cases = new ArrayList<>();
    collect(suite, cases);
    if (cases.size() < 100) {
      throw new AssertionError("expected the full guava-testlib suite, got " + cases.size());
    }
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getClass().getSimpleName() + "." + c.getName(), () -> c.runBare()));
  }

  private static void collect(Test test, List<TestCase> out) {
    if (test instanceof TestSuite s) {
      for (int i = 0; i < s.testCount(); i++) {
        collect(s.testAt(i), out);
      }
    } else if (test instanceof TestCase c) {
      out.add(c);
    }
  }
}
