package dev.lattice.output;

import dev.lattice.internal.Threads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A YAML stream written on two threads, byte for byte the one {@link Writers} writes on one.
 *
 * <p>The documents are cut into chunks of {@value #CHUNK}. The caller's thread writes the even
 * chunks straight to the target, a second thread encodes the odd ones into pooled 64 KiB buffers,
 * and after each even chunk the caller's thread hands the next odd chunk's buffers to the target:
 * the target sees the chunks, and so the documents, in their order. Each document's bytes depend on
 * the document alone (the writer carries nothing from one document to the next), so where a chunk
 * is encoded changes nothing. The pool of {@value #BUFFERS} buffers bounds how far the second
 * thread runs ahead (1 MiB), so the stream still never holds the manifest's text.
 *
 * <p>At 50,000 services the serialise phase is 257 MB of YAML; on one thread it ran at about 210
 * MB/s on a quiet 2-core machine (see BENCHMARKS.md).
 */
final class ParallelYaml {
  /** Documents per chunk: small enough that the two threads' shares stay even. */
  static final int CHUNK = 32;

  /** Below this many documents a second thread costs more than it saves. */
  static final int MIN_DOCUMENTS = 512;

  /** Buffers of the second thread in flight at most. */
  private static final int BUFFERS = 16;

  private ParallelYaml() {}

  /** Whether {@link #write} would use a second thread for {@code documents} documents. */
  static boolean applies(int documents) {
    return documents >= MIN_DOCUMENTS && Runtime.getRuntime().availableProcessors() >= 2;
  }

  /** Bytes of one buffer, or the end of a chunk, or the second thread's failure. */
  private record Piece(byte[] bytes, int length, Throwable failure) {}

  private static final Piece END = new Piece(null, 0, null);

  /** Each resource's document in order, one YAML stream, as UTF-8, on two threads. */
  static void write(List<Resource> resources, OutputStream out) {
    int n = resources.size();
    int chunks = (n + CHUNK - 1) / CHUNK;
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new byte[Writers.CAPACITY]);
    }
    BlockingQueue<Piece> ready = new LinkedBlockingQueue<>();
    Thread worker =
        new Thread(() -> encodeOdd(resources, chunks, free, ready), "lattice-yaml-writer");
    worker.setDaemon(true);
    worker.start();
    try {
      Writers w = Writers.to(out);
      for (int c = 0; c < chunks; c += 2) {
        encode(w, resources, c);
        w.flush();
        if (c + 1 < chunks) {
          drain(ready, free, out);
        }
      }
    } finally {
      // on success the worker has finished; on failure here it must not wait for buffers forever
      worker.interrupt();
    }
  }

  private static void encode(Writers w, List<Resource> resources, int chunk) {
    int end = Math.min(resources.size(), (chunk + 1) * CHUNK);
    for (int i = chunk * CHUNK; i < end; i++) {
      w.yamlDocument(resources.get(i).document());
    }
  }

  /** The second thread: the odd chunks, each followed by {@link #END}. */
  private static void encodeOdd(
      List<Resource> resources,
      int chunks,
      BlockingQueue<byte[]> free,
      BlockingQueue<Piece> ready) {
    try {
      Writers w = Writers.to(new Pieces(free, ready));
      for (int c = 1; c < chunks; c += 2) {
        encode(w, resources, c);
        w.flush();
        ready.add(END);
      }
    } catch (RuntimeException | Error e) {
      // when the caller's thread gave up (an interrupt while waiting for a buffer), nobody reads it
      ready.add(new Piece(null, 0, e));
    }
  }

  /** Writes the pieces of the second thread's next chunk to {@code out}, returning its buffers. */
  private static void drain(
      BlockingQueue<Piece> ready, BlockingQueue<byte[]> free, OutputStream out) {
    while (true) {
      Piece p = takeUninterruptibly(ready);
      if (p == END) {
        return;
      }
      Threads.rethrow(p.failure());
      try {
        out.write(p.bytes(), 0, p.length());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      free.add(p.bytes());
    }
  }

  private static Piece takeUninterruptibly(BlockingQueue<Piece> queue) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return queue.take();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The second thread's target: copies each flush of its writer into a pooled buffer. */
  private static final class Pieces extends OutputStream {
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Piece> ready;

    Pieces(BlockingQueue<byte[]> free, BlockingQueue<Piece> ready) {
      this.free = free;
      this.ready = ready;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      // the writer hands over at most its whole buffer, the size of a pooled one
      byte[] target;
      try {
        target = free.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("the YAML stream was abandoned");
      }
      System.arraycopy(b, off, target, 0, len);
      ready.add(new Piece(target, len, null));
    }
  }
}
