/**
 * Users from CSV (P3): upload a file, see what every row would do (a dry run, with each row's
 * errors), apply it (all or nothing, or the valid rows only), and see the result. Large files
 * show a progress bar fed by the import job.
 */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Progress,
  Radio,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ImportJob } from '../../../client/index.js';
import { useTenantId } from '../api/hooks.js';
import { PageHeader } from '../components/page-header.js';
import { ProblemAlert } from '../components/problem-alert.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';

type Mode = 'all' | 'valid';
const POLL_MS = 400;

function Counts({ job, done }: { job: ImportJob; done: boolean }) {
  const { t } = useI18n();
  const r = job.result;
  if (!r) return null;
  return (
    <Text data-testid="import-summary">
      {t(done ? 'usersImport.resultSummary' : 'usersImport.summary', {
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        invalid: r.invalid,
      })}
    </Text>
  );
}

function ErrorsTable({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const errors = job.result?.errors ?? [];
  if (errors.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('usersImport.errors')}
      </Title>
      <Table striped withTableBorder data-testid="import-errors">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('usersImport.colRow')}</Table.Th>
            <Table.Th>{t('usersImport.colColumn')}</Table.Th>
            <Table.Th>{t('usersImport.colProblem')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {errors.map((e, i) => (
            <Table.Tr key={`${e.row}-${i}`} data-row={e.row} data-code={e.code} data-rule={e.rule ?? ''}>
              <Table.Td>{e.row}</Table.Td>
              <Table.Td>{e.column ?? '—'}</Table.Td>
              <Table.Td>
                {e.detail}{' '}
                <Badge variant="light" color="gray">
                  {e.rule ? `${e.code} · ${e.rule}` : e.code}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {job.result?.errorsTruncated && <Text size="sm">{t('usersImport.truncated')}</Text>}
    </Stack>
  );
}

function RowsTable({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const rows = job.result?.rows ?? [];
  if (rows.length === 0) return null;
  const color = { create: 'green', update: 'blue', unchanged: 'gray', invalid: 'red' } as const;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('usersImport.rows')}
      </Title>
      <Table striped withTableBorder data-testid="import-rows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('usersImport.colRow')}</Table.Th>
            <Table.Th>{t('usersImport.colAction')}</Table.Th>
            <Table.Th>{t('usersImport.colName')}</Table.Th>
            <Table.Th>{t('usersImport.colChanges')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.row} data-action={r.action}>
              <Table.Td>{r.row}</Table.Td>
              <Table.Td>
                <Badge color={color[r.action]} variant="light">
                  {t(`usersImport.action.${r.action}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{r.displayName}</Table.Td>
              <Table.Td>{r.changes.join(', ')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {job.result?.rowsTruncated && <Text size="sm">{t('usersImport.truncated')}</Text>}
    </Stack>
  );
}

export function UsersImportPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const tenantId = useTenantId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<Mode>('all');
  const [step, setStep] = useState(0);
  const [running, setRunning] = useState<ImportJob | null>(null);
  const [preview, setPreview] = useState<ImportJob | null>(null);
  const [result, setResult] = useState<ImportJob | null>(null);
  const [error, setError] = useState<unknown>(null);

  /** Starts an import and follows its job until it ends, showing its progress. */
  async function run(dryRun: boolean): Promise<ImportJob | null> {
    if (!file || !tenantId) return null;
    setError(null);
    try {
      let job = await client.users.importCsv(tenantId, await file.text(), { dryRun, mode });
      setRunning(job);
      while (job.status === 'running') {
        await new Promise((r) => setTimeout(r, POLL_MS));
        job = await client.users.importJob(tenantId, job.id);
        setRunning(job);
      }
      return job;
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setRunning(null);
    }
  }

  async function check() {
    const job = await run(true);
    if (job) {
      setPreview(job);
      setStep(1);
    }
  }
  async function apply() {
    const job = await run(false);
    if (job) {
      setResult(job);
      setStep(2);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    }
  }
  function restart() {
    setFile(null);
    setPreview(null);
    setResult(null);
    setStep(0);
  }

  const blocked = mode === 'all' && (preview?.result?.invalid ?? 0) > 0;
  const progress = running && running.totalRows > 0 ? (running.processedRows / running.totalRows) * 100 : 0;

  return (
    <>
      <PageHeader
        title={t('usersImport.title')}
        description={t('usersImport.description')}
        actions={
          <Button component={Link} to="/users" variant="default">
            {t('usersImport.done')}
          </Button>
        }
      />
      {error !== null && <ProblemAlert error={error} onClose={() => setError(null)} />}
      {running && (
        <Stack gap={4} my="md">
          <Text size="sm">
            {t(running.dryRun ? 'usersImport.checking' : 'usersImport.applying')}{' '}
            {t('usersImport.progress', { done: running.processedRows, total: running.totalRows })}
          </Text>
          <Progress
            value={progress}
            animated
            aria-label={t('usersImport.progressLabel')}
            data-testid="import-progress"
          />
        </Stack>
      )}
      <Stepper active={step} allowNextStepsSelect={false} mt="md">
        <Stepper.Step label={t('usersImport.stepUpload')}>
          <Stack maw={560}>
            <FileInput
              label={t('usersImport.file')}
              description={t('usersImport.fileHelp')}
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              clearable
              data-testid="import-file"
            />
            <Radio.Group label={t('usersImport.mode')} value={mode} onChange={(v) => setMode(v as Mode)}>
              <Stack gap={6} mt={6}>
                <Radio value="all" label={t('usersImport.modeAll')} />
                <Radio value="valid" label={t('usersImport.modeValid')} />
              </Stack>
            </Radio.Group>
            <Group>
              <Button onClick={() => void check()} disabled={!file || !!running} loading={!!running}>
                {t('usersImport.check')}
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t('usersImport.stepPreview')}>
          {preview && (
            <Stack>
              <Counts job={preview} done={false} />
              {blocked && (
                <Alert color="yellow" data-testid="import-blocked">
                  {t('usersImport.blocked')}
                </Alert>
              )}
              <Group>
                <Button variant="default" onClick={() => setStep(0)} disabled={!!running}>
                  {t('usersImport.back')}
                </Button>
                <Button onClick={() => void apply()} disabled={blocked || !!running} loading={!!running}>
                  {t('usersImport.apply')}
                </Button>
              </Group>
              <ErrorsTable job={preview} />
              <RowsTable job={preview} />
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label={t('usersImport.stepResult')}>
          {result && (
            <Stack>
              {result.status === 'rejected' && <Alert color="red">{t('usersImport.rejected')}</Alert>}
              {result.status === 'failed' && (
                <Alert color="red">
                  {t(
                    result.result?.failureCode === 'import_interrupted'
                      ? 'usersImport.interrupted'
                      : 'usersImport.failed',
                  )}
                </Alert>
              )}
              <Counts job={result} done />
              <Group>
                <Button variant="default" onClick={restart}>
                  {t('usersImport.again')}
                </Button>
                <Button component={Link} to="/users">
                  {t('usersImport.done')}
                </Button>
              </Group>
              <ErrorsTable job={result} />
            </Stack>
          )}
        </Stepper.Step>
      </Stepper>
    </>
  );
}
