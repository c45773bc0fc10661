<#--
  ServiceNow Import Set row (POST /api/now/import/<staging table>, Table API). The transform map
  coalesces on correlation_id, so every message of one dedup key lands on one record.
  values: cmdbci, assignmentgroup (any spelling in configuration, see WebhookSettings). Impact and urgency: 1 high, 2 medium, 3 low.
-->
<#assign d = event.data>
<#if event.type == "fleettrust.impact.assessed">
  <#assign level = {"critical": 1, "high": 2, "moderate": 2, "low": 3}[d.riskLevel]>
  <#assign short = "FleetTrust change risk " + d.riskLevel + ": " + d.verdicts.BREAKS + " of " + d.devices + " phones break" + (d.changeRef??)?then(" (" + (d.changeRef!) + ")", "")>
  <#assign text>
Assessment ${d.assessmentId} of ${d.description!"a planned change"} at ${d.evaluateAt}: ${d.verdicts.BREAKS} BREAKS, ${d.verdicts.DEGRADED} DEGRADED, ${d.verdicts.AT_RISK} AT_RISK, ${d.verdicts.UNKNOWN} UNKNOWN, ${d.verdicts.OK} OK.
<#list d.topFindings as f>
- ${f.rule} (${f.devices} devices): ${f.message}
</#list>
<#list d.remediation as r>
Fix ${r?counter}: ${r.action} fixes ${r.devicesFixed}: ${r.description}
</#list>
Devices: ${d.deviceList}
</#assign>
  <#assign correlation = event.partitionkey>
<#else>
  <#assign level = (event.type == "fleettrust.violation.resolved")?then(3, (d.devices >= 100)?then(2, 3))>
  <#assign short = (event.type == "fleettrust.violation.resolved")?then("Resolved: ", "") + d.rule + " on " + d.model + " " + d.build + ": " + d.summary>
  <#assign text>
${d.summary}
Rule ${d.rule}, model ${d.model}, build ${d.build}: ${d.devices} devices<#if d.previousDevices??> (was ${d.previousDevices})</#if>, open since ${d.openedAt}, report ${d.reportId}.
Devices: ${d.deviceList}
</#assign>
  <#assign correlation = d.dedupKey>
</#if>
{
  "short_description": "${short?json_string}",
  "description": "${text?trim?json_string}",
  "cmdb_ci": "${(values.cmdbci!"")?json_string}",
  "assignment_group": "${(values.assignmentgroup!"")?json_string}",
  "impact": "${level}",
  "urgency": "${level}",
  "correlation_id": "${correlation?json_string}",
  "u_fleettrust_event": "${event.type?json_string}",
  "u_fleettrust_message_id": "${event.id?json_string}",
  "u_change_ref": "${((d.changeRef)!"")?json_string}"
}
