import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { JoinPage } from './features/join/JoinPage.js';
import { type JoinLink, readJoinLink } from './features/join/joinLink.js';
import { LanguageSwitch } from './i18n/LanguageSwitch.js';

function Home() {
  const { t } = useTranslation();
  return (
    <main className="screen">
      <LanguageSwitch />
      <h1>{t('app.name')}</h1>
      <p className="screen__lead">{t('app.openLink')}</p>
    </main>
  );
}

/** The join link lives in the fragment: a new link pasted into the same tab must take effect. */
function useJoinLink(): JoinLink | null {
  const [link, setLink] = useState(() => readJoinLink(window.location.hash));
  useEffect(() => {
    const onChange = () => setLink(readJoinLink(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return link;
}

export function App() {
  const link = useJoinLink();
  if (window.location.pathname.startsWith('/join') && link) return <JoinPage key={link.token} link={link} />;
  return <Home />;
}
