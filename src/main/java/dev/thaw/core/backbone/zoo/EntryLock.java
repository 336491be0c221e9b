package dev.thaw.core.backbone.zoo;

import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive use of one zoo entry's folder, across threads of this process (a lock per folder) and
 * across Thaw processes (an OS file lock on {@code .lock} in it). Waiting is cancellable and says
 * what it waits for. The lock file is never deleted: deleting it would let two processes lock
 * different files.
 */
final class EntryLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private EntryLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    static EntryLock acquire(Path dir, String what, JobMonitor monitor) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        boolean said = false;
        try {
            while (!local.tryLock(100, TimeUnit.MILLISECONDS)) {
                monitor.checkCancelled();
                if (!said) {
                    monitor.progress(-1, "Waiting for another download of " + what + " to finish");
                    said = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            while ((lock = channel.tryLock()) == null) {
                monitor.checkCancelled();
                if (!said) {
                    monitor.progress(-1, "Waiting for another Thaw process downloading " + what);
                    said = true;
                }
                Thread.sleep(200);
            }
            return new EntryLock(local, channel, lock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(channel);
            local.unlock();
            throw new CancellationException("Interrupted");
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            local.unlock();
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            local.unlock();
        }
    }
}
