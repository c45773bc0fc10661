package dev.fleettrust.api;

import dev.fleettrust.api.problem.Problem;
import dev.fleettrust.api.problem.ProblemException;
import dev.fleettrust.api.problem.ProblemType;
import dev.fleettrust.api.problem.QueryParameters;
import dev.fleettrust.api.security.Role;
import dev.fleettrust.backtest.CatalogProposals;
import dev.fleettrust.backtest.Proposal;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Proposed catalog corrections (api-spec/openapi.yaml: listCatalogProposals, acceptCatalogProposal,
 * rejectCatalogProposal). Reads need {@code viewer}, decisions {@code admin}.
 */
@Controller("/api/v1/catalog/proposals")
final class CatalogProposalsController {
  private final CatalogProposals proposals;
  private final JsonMapper json;

  CatalogProposalsController(CatalogProposals proposals, JsonMapper json) {
    this.proposals = proposals;
    this.json = json;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @Secured(Role.VIEWER_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  BacktestWire.Page<BacktestWire.ProposalView> list(
      @QueryValue @Nullable String status,
      @QueryValue @Nullable String limit,
      @QueryValue @Nullable String cursor) {
    List<Problem.ValidationError> errors = new ArrayList<>();
    Optional<Proposal.Status> state = Optional.empty();
    if (status != null) {
      try {
        state = Optional.of(Proposal.Status.valueOf(status));
      } catch (IllegalArgumentException e) {
        errors.add(
            Problem.ValidationError.query(
                "status", "must be one of " + List.of(Proposal.Status.values())));
      }
    }
    int pageSize = QueryParameters.limit(limit, errors);
    Optional<CatalogProposals.Position> after =
        BacktestController.Keyset.decode(cursor, errors)
            .map(k -> new CatalogProposals.Position(k.at(), k.id()));
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.validation(errors));
    }
    proposals.catchUp(Instant.now());
    List<Proposal> rows = proposals.list(state, after, pageSize + 1);
    boolean more = rows.size() > pageSize;
    List<Proposal> page = more ? rows.subList(0, pageSize) : rows;
    Proposal last = page.isEmpty() ? null : page.get(page.size() - 1);
    String next = more ? new BacktestController.Keyset(last.createdAt(), last.id()).encode() : null;
    return new BacktestWire.Page<>(page.stream().map(this::view).toList(), next);
  }

  @Post(uri = "/{id}/accept", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  BacktestWire.ProposalView accept(@PathVariable String id, Authentication authentication) {
    return decided(id, proposals.accept(proposalId(id), authentication.getName()));
  }

  @Post(uri = "/{id}/reject", produces = MediaType.APPLICATION_JSON)
  @Secured(Role.ADMIN_NAME)
  @ExecuteOn(TaskExecutors.BLOCKING)
  BacktestWire.ProposalView reject(@PathVariable String id, Authentication authentication) {
    return decided(id, proposals.reject(proposalId(id), authentication.getName()));
  }

  private BacktestWire.ProposalView decided(String id, CatalogProposals.Decision decision) {
    if (decision instanceof CatalogProposals.Decision.Decided d) {
      return view(d.proposal());
    }
    if (decision instanceof CatalogProposals.Decision.AlreadyDecided a) {
      throw new ProblemException(
          Problem.of(
              ProblemType.CONFLICT,
              "Proposal " + id + " is " + a.proposal().status() + " already."));
    }
    if (decision instanceof CatalogProposals.Decision.CatalogRefused r) {
      throw new ProblemException(Problem.of(ProblemType.CONFLICT, r.detail()));
    }
    throw notFound(id);
  }

  private static UUID proposalId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(
        Problem.of(ProblemType.NOT_FOUND, "There is no catalog proposal " + id + "."));
  }

  private BacktestWire.ProposalView view(Proposal p) {
    return new BacktestWire.ProposalView(
        p.id().toString(),
        p.status().name(),
        p.family(),
        p.build(),
        p.capability(),
        tree(p.currentValueJson()),
        tree(p.proposedValueJson()),
        new BacktestWire.Evidence(
            p.assessmentId().toString(),
            p.deploymentId().toString(),
            p.failureReason(),
            p.failedDevices(),
            p.failedDevices().size(),
            p.observedDevices(),
            p.failureReasons().stream()
                .map(r -> new BacktestWire.ReasonCount(r.reason(), r.devices()))
                .toList()),
        p.createdAt().toString(),
        p.decidedAt().map(Object::toString).orElse(null),
        p.decidedBy().orElse(null),
        p.catalogVersion().orElse(null));
  }

  private JsonNode tree(String value) {
    try {
      return json.readValue(value, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException("A stored proposal value does not read back", e);
    }
  }
}
