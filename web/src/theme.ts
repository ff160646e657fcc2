import { createTheme } from '@mantine/core';

/** Clean, calm typography; blue primary with enough contrast in both schemes (axe: color-contrast). */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 7, dark: 5 },
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontWeight: '650' },
  defaultRadius: 'md',
  components: {
    Tooltip: { defaultProps: { withArrow: true, openDelay: 200 } },
  },
});
