/** Picks the regions calls and SMS may go to (F3): search by name or ISO code, chips to remove; the home region is always allowed. */
import { useId, useMemo, useState } from 'react';
import { Badge, Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useI18n } from '../i18n/index.js';
import { filterRegions, normaliseRegions, regionFlag, regionName } from '../lib/regions.js';

export interface RegionPickerProps {
  value: readonly string[];
  onChange: (regions: string[]) => void;
  homeRegion?: string | null;
  disabled?: boolean;
}

export function RegionPicker({ value, onChange, homeRegion, disabled = false }: RegionPickerProps) {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState('');
  const listId = useId();
  const exclude = useMemo(() => [...value, ...(homeRegion ? [homeRegion] : [])], [value, homeRegion]);
  const results = useMemo(
    () => (query.trim() ? filterRegions(query, { locale: lang, exclude, limit: 8 }) : []),
    [query, lang, exclude],
  );
  const add = (code: string) => {
    onChange(normaliseRegions([...value, code]));
    setQuery('');
  };
  return (
    <Stack gap="xs" data-testid="region-picker">
      <Group gap={6}>
        {homeRegion && (
          <Badge variant="filled" color="gray" size="lg" title={t('regions.homeHelp')}>
            {regionFlag(homeRegion)} {regionName(homeRegion, lang)} · {t('regions.home')}
          </Badge>
        )}
        {value.map((code) => (
          <Badge
            key={code}
            variant="light"
            size="lg"
            data-region={code}
            rightSection={
              disabled ? null : (
                <CloseButton
                  size="xs"
                  aria-label={t('regions.remove', { name: regionName(code, lang) })}
                  onClick={() => onChange(value.filter((c) => c !== code))}
                />
              )
            }
          >
            {regionFlag(code)} {regionName(code, lang)} ({code})
          </Badge>
        ))}
        {value.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('regions.onlyHome')}
          </Text>
        )}
      </Group>
      {!disabled && (
        <>
          <TextInput
            label={t('regions.add')}
            placeholder={t('regions.placeholder')}
            value={query}
            maw={320}
            aria-controls={listId}
            onChange={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && results[0]) {
                e.preventDefault();
                add(results[0].code);
              }
            }}
          />
          <Group gap={6} id={listId} role="list" aria-label={t('regions.results')}>
            {results.map((r) => (
              <div role="listitem" key={r.code}>
                <Button size="compact-sm" variant="default" onClick={() => add(r.code)} data-option={r.code}>
                  {regionFlag(r.code)} {r.name} ({r.code})
                </Button>
              </div>
            ))}
            {query.trim() && results.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('regions.none')}
              </Text>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
