export function App() {
  return (
    <main>
      <h1>Summit Bridge</h1>
      <p>Open the join link you were given to enter your session.</p>
    </main>
  );
}
