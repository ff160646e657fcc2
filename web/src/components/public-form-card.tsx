/** The frame of the signed-out pages (sign-in, reset password, accept invitation): a centred card with a form. */
import type { FormEvent, ReactNode } from 'react';
import { Center, Group, Paper, Select, Stack, Title } from '@mantine/core';
import { LANGUAGES, useI18n, type Language } from '../i18n/index.js';

/** The language switch, on every page (signed in or not). */
export function LanguageSelect(): ReactNode {
  const tr = useI18n();
  return (
    <Select
      size="xs"
      w={140}
      aria-label={tr.t('header.language')}
      data={LANGUAGES.map((l) => ({ ...l }))}
      value={tr.lang}
      onChange={(v) => v && tr.setLang(v as Language)}
      allowDeselect={false}
    />
  );
}

export function PublicFormCard(props: {
  titleId: string;
  title: ReactNode;
  onSubmit: (e: FormEvent) => void;
  noValidate?: boolean;
  width?: number;
  children: ReactNode;
}): ReactNode {
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={props.width ?? 420}>
        <form onSubmit={props.onSubmit} aria-labelledby={props.titleId} noValidate={props.noValidate}>
          <Stack>
            <Group justify="space-between" align="center" wrap="nowrap">
              <Title id={props.titleId} order={1} size="h2">
                {props.title}
              </Title>
              <LanguageSelect />
            </Group>
            {props.children}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
