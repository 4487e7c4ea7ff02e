import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What to call the failed area in the message, e.g. "Queues". */
  label: string;
  /** Rendered when a child throws: receives the error and a retry function. */
  fallback: (error: Error, retry: () => void) => ReactNode;
  children: ReactNode;
}
interface State {
  error: Error | null;
}

/**
 * Error boundary for one panel: a crash inside shows the fallback in that panel only, the rest
 * of the console keeps working. Logs the error once (console.error) for diagnostics.
 */
export class PanelErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Panel "${this.props.label}" crashed`, error, info.componentStack);
  }

  private retry = (): void => this.setState({ error: null });

  override render(): ReactNode {
    return this.state.error ? this.props.fallback(this.state.error, this.retry) : this.props.children;
  }
}
