<#--
  Jira Service Management create-issue body (POST /rest/api/2/issue). The dedup key is a label,
  so automation finds the one issue of a violation to update or resolve.
  values: projectkey, issuetype (default "Task").
-->
<#assign d = event.data>
<#if event.type == "fleettrust.impact.assessed">
  <#assign priority = {"critical": "Highest", "high": "High", "moderate": "Medium", "low": "Low"}[d.riskLevel]>
  <#assign summary = "FleetTrust change risk " + d.riskLevel + ": " + d.verdicts.BREAKS + " of " + d.devices + " phones break" + (d.changeRef??)?then(" (" + (d.changeRef!) + ")", "")>
  <#assign text>
Assessment ${d.assessmentId} at ${d.evaluateAt}: ${d.verdicts.BREAKS} BREAKS, ${d.verdicts.DEGRADED} DEGRADED, ${d.verdicts.AT_RISK} AT_RISK, ${d.verdicts.UNKNOWN} UNKNOWN, ${d.verdicts.OK} OK.
<#list d.topFindings as f>
* ${f.rule} (${f.devices} devices): ${f.message}
</#list>
<#list d.remediation as r>
# ${r.action} fixes ${r.devicesFixed}: ${r.description}
</#list>
Devices: ${d.deviceList}
</#assign>
  <#assign key = event.partitionkey>
<#else>
  <#assign priority = (event.type == "fleettrust.violation.resolved")?then("Low", (d.devices >= 100)?then("High", "Medium"))>
  <#assign summary = (event.type == "fleettrust.violation.resolved")?then("Resolved: ", "") + d.rule + " on " + d.model + " " + d.build + ": " + d.summary>
  <#assign text>
${d.summary}
Rule ${d.rule}, model ${d.model}, build ${d.build}: ${d.devices} devices<#if d.previousDevices??> (was ${d.previousDevices})</#if>, open since ${d.openedAt}, report ${d.reportId}.
Devices: ${d.deviceList}
</#assign>
  <#assign key = d.dedupKey>
</#if>
{
  "fields": {
    "project": { "key": "${(values.projectkey!"")?json_string}" },
    "issuetype": { "name": "${(values.issuetype!"Task")?json_string}" },
    "summary": "${summary?truncate(250)?json_string}",
    "description": "${text?trim?json_string}",
    "priority": { "name": "${priority}" },
    "labels": ["fleettrust", "${key?json_string}", "${event.type?replace(".", "-")?json_string}"]
  }
}
