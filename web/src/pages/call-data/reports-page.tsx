/**
 * Reports (CD3): the calls report for Report Supervisors and up; agent and queue reports for Contact
 * Center Supervisors (greyed with the rule below that level); schedules on their own page.
 */
import { useState } from 'react';
import { Button, Tabs } from '@mantine/core';
import '@mantine/charts/styles.css';
import { Link } from 'react-router';
import { useActor } from '../../api/hooks.js';
import { useI18n } from '../../i18n/index.js';
import { AgentQueueReports } from './agent-queue-reports.js';
import { CallDataGate, GreyedScreen } from './call-data-gate.js';
import { CallsReport } from './calls-report.js';
import { screenAccess } from './screen-access.js';

export function ReportsPage() {
  const { t } = useI18n();
  const { actor } = useActor();
  const [tab, setTab] = useState<string | null>('calls');
  const agentsAllowed = screenAccess(actor, 'agentReports').allowed;
  return (
    <CallDataGate
      screen="reports"
      title={t('callData.nav.reports')}
      description={t('callData.reports.description')}
      actions={
        <Button component={Link} to="/reports/schedules" variant="default" data-testid="report-schedules">
          {t('callData.reports.schedules')}
        </Button>
      }
    >
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="calls">{t('callData.reports.calls')}</Tabs.Tab>
          <Tabs.Tab value="agents" data-testid="tab-agents" data-greyed={agentsAllowed ? undefined : 'true'}>
            {t('callData.reports.agentsAndQueues')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="calls">
          <CallsReport />
        </Tabs.Panel>
        <Tabs.Panel value="agents">
          {agentsAllowed ? <AgentQueueReports /> : <GreyedScreen screen="agentReports" />}
        </Tabs.Panel>
      </Tabs>
    </CallDataGate>
  );
}
