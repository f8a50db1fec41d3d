package io.flockerdocker.agent.dataset.transfer;

/** The data channel's listening side: serves sealed copies to authorised peers until closed. */
public interface DataServer extends AutoCloseable {
  /** The bound port (useful when configured as 0). */
  int port();

  /** Stops accepting, aborts transfers in flight, and waits for their threads to end. */
  @Override
  void close();
}
