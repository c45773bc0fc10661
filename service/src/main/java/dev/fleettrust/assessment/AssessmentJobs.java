package dev.fleettrust.assessment;

import dev.fleettrust.impact.Progress;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assessments that run in the background (issue 12): stored PENDING by the caller, run here one or
 * a few at a time, their progress written to the database every {@code heartbeat}, cancelled
 * through the database so that any replica can cancel what another runs.
 */
@Singleton
public final class AssessmentJobs {
  private static final Logger LOG = LoggerFactory.getLogger(AssessmentJobs.class);

  /** A replica silent for this long has stopped; its assessments fail. */
  private static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

  private static final String ABANDONED =
      """
      {"type":"https://fleettrust.dev/problems/unavailable","title":"Service unavailable",\
      "status":503,"detail":"The service running the assessment stopped; submit it again."}""";

  /** What runs: the engine and the storing of its results. */
  public interface Work {
    void run(Progress progress) throws Exception;

    /** The problem document (JSON) to store when {@link #run} failed with {@code failure}. */
    String failure(Exception failure);
  }

  private final AssessmentStore store;
  private final ExecutorService runners;
  private final Map<UUID, Running> running = new ConcurrentHashMap<>();

  AssessmentJobs(
      AssessmentStore store, @Value("${fleettrust.assessments.concurrent-jobs:1}") int concurrent) {
    this.store = store;
    this.runners =
        Executors.newFixedThreadPool(
            concurrent,
            task -> {
              Thread thread = new Thread(task, "assessment-job");
              thread.setDaemon(true);
              return thread;
            });
  }

  private static final class Running implements Progress {
    final AtomicInteger evaluated = new AtomicInteger();
    final int total;
    volatile boolean cancelled;

    Running(int total) {
      this.total = total;
    }

    @Override
    public void evaluated(int profiles) {
      evaluated.addAndGet(profiles);
    }

    @Override
    public boolean cancelled() {
      return cancelled;
    }
  }

  /** Runs {@code work} for the PENDING assessment {@code id} of {@code profiles} profiles. */
  public void start(UUID id, int profiles, Work work) {
    Running job = new Running(profiles);
    running.put(id, job);
    runners.execute(
        () -> {
          try {
            if (store.markRunning(id)) {
              work.run(job);
            }
          } catch (CancellationException e) {
            LOG.info("Assessment {} cancelled", id);
          } catch (Exception e) {
            LOG.warn("Assessment {} failed", id, e);
            store.fail(id, work.failure(e));
          } finally {
            running.remove(id);
          }
        });
  }

  /** The progress of an assessment this replica runs, fresher than the stored one. */
  public Optional<AssessmentStore.JobProgress> progress(UUID id) {
    Running job = running.get(id);
    return job == null
        ? Optional.empty()
        : Optional.of(
            new AssessmentStore.JobProgress(Math.min(job.evaluated.get(), job.total), job.total));
  }

  /** Cancels a PENDING or RUNNING assessment, wherever it runs; false if it had finished. */
  public boolean cancel(UUID id, String by) {
    boolean cancelled = store.cancel(id, by);
    Running job = running.get(id);
    if (job != null) {
      job.cancelled = true;
    }
    return cancelled;
  }

  /** Writes progress and learns of cancellations made on other replicas. */
  @Scheduled(fixedDelay = "${fleettrust.assessments.heartbeat:500ms}")
  void heartbeat() {
    running.forEach(
        (id, job) -> {
          try {
            if (!store.heartbeat(id, Math.min(job.evaluated.get(), job.total))) {
              job.cancelled = true;
            }
          } catch (Exception e) {
            LOG.warn("Could not record the progress of assessment {}: {}", id, e.getMessage());
          }
        });
  }

  @Scheduled(fixedDelay = "1m", initialDelay = "1m")
  void failAbandoned() {
    try {
      int failed = store.failAbandoned(Instant.now().minus(ABANDONED_AFTER), ABANDONED);
      if (failed > 0) {
        LOG.warn("{} assessments failed: the service running them stopped", failed);
      }
    } catch (Exception e) {
      LOG.warn("Could not look for abandoned assessments: {}", e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    running.values().forEach(job -> job.cancelled = true);
    runners.shutdown();
  }
}
