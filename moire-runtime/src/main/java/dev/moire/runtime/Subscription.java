package dev.moire.runtime;

/** Stops the delivery of changes to a listener registered with {@link MoireRuntime#subscribe}. */
public interface Subscription extends AutoCloseable {
  /** Stops delivery; changes already being delivered may still arrive. Closing twice is fine. */
  @Override
  void close();
}
