import { useEffect, type ReactNode } from 'react';

/**
 * Every page's frame: sets the document title and renders the one <h1>. `description` is a short
 * line under the heading (what the page is for, keyboard help, ...).
 */
export function Page({ title, description, children, className }: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  useEffect(() => {
    document.title = `${title} · Channel Coupons`;
  }, [title]);
  return (
    <div className={className ? `page ${className}` : 'page'}>
      <h1>{title}</h1>
      {description ? <div className="page-description">{description}</div> : null}
      {children}
    </div>
  );
}
